package sentiment

import (
	"strconv"
	"strings"
	"sync"
)

// The cues Classify listens for, by what they are about, in English, German
// and Spanish, written folded (lower case, no accents: "rückerstattung" is
// "ruckerstattung"). A phrase's words match in order; "word*" matches words
// that start so, "*word" words that end so (German compounds: "Kürbisbrot"
// is bread), and "~" lets up to three words stand between.

type lexiconT struct {
	cues      *cueSet // complaint, praise and "again" cues, longest first
	requests  *cueSet
	topics    *cueSet
	askOthers *cueSet // "who else": a question for other people
	askAbout  *cueSet // "does anyone know if": about the business, whoever answers
	again     map[string]bool
	negators  map[string]bool
	contrast  map[string]bool
	slang     map[string]bool
	you       map[string]bool
	others    map[string]bool
	greetings map[string]bool
	subjects  map[string]bool
	// interrogatives start a question that lost its question mark;
	// auxiliaries do so only before a subject ("do you…", not "would be
	// nice if…").
	interrogatives map[string]bool
	auxiliaries    map[string]bool
	asked          map[string]bool // who an auxiliary asks about: "do you", "is there"
	why            map[string]bool
	// Little words that tell the language, for VADER's English lexicon.
	english, german, spanish map[string]bool
	// Words of praise that open a sarcastic complaint: "Great, another
	// price hike."
	interjections map[string]bool
	negationBound map[string]bool
	laughter      map[string]bool
	idleNots      *cueSet

	// What was expected: an order placed, a sum paid, a promise or a
	// label read ("I ordered", "was told", "pedí", "laut Etikett"); and
	// what says the outcome was not so, later in the message: a
	// deviation ("only", "instead", "half", a "not") or just an outcome
	// ("got", "bekommen", "me dieron").
	expect   *cueSet
	deviate  map[string]bool
	outcome  map[string]bool
	segments map[string]bool // words that start a new part of a clause: "and", "but", "then"
	// A cost and a comparative in one clause: "costs 80 cents more",
	// "kostet einen Euro mehr".
	costs, more map[string]bool
	// A change over time and a comparative: "got smaller", "kleiner
	// geworden", "se han vuelto más caros".
	change, worse map[string]bool
	// Questions that reproach when something is wrong: "is there a
	// reason", "how come", "what happened?".
	whyPhrases, happened *cueSet
	// Ways of saying something good that mean the opposite beside a
	// complaint: "love how", "thanks for nothing".
	sarcasm *cueSet
	// Claims a business makes, which a customer puts in quotation marks
	// to doubt: "fresh", "vegan", "broken".
	claims map[string]bool
	// Words of complaint that food talk uses as praise beside delight:
	// "ok the pistachio croissant is ridiculous 😭".
	praiseSlang map[string]bool
	// Words before a mild cue that make it a complaint: "so salty",
	// "echt trocken", "muy seco".
	intensifiers map[string]bool
	// Travel before a number of minutes: a distance, not a wait.
	travel map[string]bool
	// A question that is only a tag ("right?", "¿vale?", "oder?") asks
	// nothing.
	tags map[string]bool
	// "Or is it just me?": a doubt put as a question, which asks nothing.
	hedges *cueSet
	// What makes a question about trouble hypothetical: "a refund if I
	// can't come?"
	hypothetical map[string]bool
	// Thanks, which at the end of a complaint are manners, not praise.
	thanks map[string]bool
	// Counts from two to twelve in words, as digits: "paid for six, there
	// were four" is a count that differs. One is left out: "one" and
	// "ein", "una" are as often no count at all.
	numberWords map[string]string
	// Words around a number that make it a time of day: "at 10", "um
	// zehn", "a las 8", "8 uhr", "10am".
	clockBefore, clockAfter map[string]bool
	// Complaint cues that name what the business owes the writer (a
	// refund, the money back): not getting it is the complaint, so a
	// negation does not turn them into praise as it turns "not bad".
	owed map[string]bool
}

var lexicon = sync.OnceValue(func() *lexiconT {
	lex := &lexiconT{
		negators: wordSet(`not no never nothing none nor hardly isnt wasnt arent werent dont doesnt didnt cant cannot couldnt wont wouldnt havent hasnt
			nicht kein keine keinen keiner keinem keines nie niemals nichts
			nunca ni tampoco nada ningun ninguna`),
		contrast: wordSet(`but though however although except aber jedoch allerdings obwohl pero aunque sino`),
		// Words VADER reads literally that a food post means as praise,
		// or that say nothing about the business ("my starter died").
		slang: wordSet(`killer killing kill killed dangerous dangerously sinful sinfully insane insanely wicked crazy evil
			obsessed addicted addictive die died dying dead death ruined ruin struggle damn hell stop stupidly
			hungry hunger starving diet guilty sorry miss missed`),
		you: wordSet(`you your yours youre youve youll yall u ur
			ihr euch euer eure euren eurem eurer ihnen
			vosotros vosotras os vuestro vuestra vuestros vuestras ustedes usted teneis tienen abris abren haceis hacen
			vendeis venden podeis pueden llevais sois usais`),
		others:    wordSet(`anyone anybody someone somebody everyone jemand irgendwer alguien`),
		greetings: wordSet(`hi hello hey hiya heya morning evening hallo moin servus hola buenas ok okay pd ps`),
		subjects:  wordSet(`i you he she we they it someone somebody nobody staff whoever ich du ihr er sie wir man jemand yo tu`),
		// Spanish questions keep their marks (¿…?), and German "was" and
		// "wie" start as many exclamations as questions.
		interrogatives: wordSet(`when what whats where how which why wann warum wieso welche welcher welches`),
		auxiliaries: wordSet(`do does did are is can could would will
			habt gibt kann kannst konnt konntet seid ist sind hat verkauft liefert macht bietet`),
		asked: wordSet(`you u i we they it he she there this that these those the a an any anyone
			ihr du sie wir man es der die das ein eine es jemand da`),
		why:           wordSet(`why warum wieso weshalb`),
		english:       wordSet(`the and is are was were you your i my it this that to of a an for with have has not at on but so very just`),
		german:        wordSet(`der die das und ist sind ich ihr euch nicht ein eine mit von zu fur auf den dem bei war waren sehr auch noch`),
		spanish:       wordSet(`el la los las y es son de que en un una por para muy pero me mi os con del al estaba era`),
		interjections: wordSet(`great lovely perfect brilliant fantastic super toll prima klasse genial perfecto genial estupendo`),
	}
	var all []cue
	add := func(cs []cue) { all = append(all, cs...) }

	// ---- complaints ----
	// Strong cues weigh 2, enough alone.

	// Money: refunds, charges, prices.
	add(cueList(cueComplaint, 2, `
		refund* | money back | my money | reimburs* | compensat* | chargeback | charged twice | charged me twice | double charged
		charged ~ instead | overcharg* | charge* extra | extra charge | surcharge | took my money | charged me but | paid for ~ but | paid ~ but got
		rip off | ripoff | overpriced | too expensive | a joke | daylight robbery | price hike | another hike | price increase* | price rise
		price* ~ up | raised ~ price* | doubled ~ price* | for the same price | more expensive | pricier | costs more | half the size | less for more
		erstattung | ruckerstattung | geld zuruck | doppelt abgebucht | doppelt berechnet | zweimal abgebucht | zu viel berechnet | zu teuer
		uberteuert | teuer geworden | teurer | preiserhohung | preise ~ gestiegen | preise ~ erhoht | preise ~ senken | kostet ~ mehr | wucher | abzocke | aufpreis
		nicht zuruckbekommen | nicht zuruckerhalten | nicht erstattet | no me han devuelto | no me devolvieron | no me habeis devuelto
		reembolso | devolucion | devolver el dinero | devuelvan | cobraron dos veces | cobro doble | cobrado de mas | cobraron de mas | carisim*
		mas caro | mas caros | mas cara | mas caras | un robo | subieron ~ precios | subida de precios | por el mismo precio | cuesta mas`))

	// The order: wrong, missing, late, never there.
	add(cueList(cueComplaint, 2, `
		wrong order | order ~ wrong | wrong ~ order | wrong colour | wrong color | wrong name | wrong cake | wrong item | wrong size
		wrong address | wrong house | wrong change | got ~ instead | gave ~ instead | asked for ~ got | asked for ~ and got | ordered ~ got
		never arrived | never came | never showed | never turned up | didnt arrive | didnt come | hasnt arrived | not arrived | still not here
		not delivered | missing | not ready | wasnt ready | no record | couldnt find ~ order | lost ~ order | mixed up | incomplete | only got
		was short | check your orders | supposed to | meant to be | should have been | never got | never received | no confirmation | still no
		cancelled with | canceled with | was empty | were empty | everything ~ gone | nothing ~ left | to someone else | sold my | gave my
		an jemand anderen | an jemand anders | an jemanden anderen | an einen anderen kunden | a otra persona | a otro cliente | a otra clienta
		specifically asked | i asked for | we asked for | no era ~ que | nur ~ bekommen | nur ~ erhalten | solo me dieron | solo recibi
		falsch* | verwechselt | fehlte | fehlten | nie angekommen | nicht angekommen | kam nie | nicht fertig | unvollstandig | keine bestatigung
		keine bestellung | noch keine | immer noch kein* | bis heute kein* | sollte eigentlich | hatte ~ sollen | war leer
		equivocad* | incorrect* | incomplet* | faltaba | faltaban | olvidaron | se olvidaron | nunca llego | no llego | no estaba list*
		no estaba hech* | ningun pedido | ninguna reserva | se suponia | deberia haber | todavia no | aun no | sin confirmacion`))

	// The product gone wrong, or harmful.
	add(cueList(cueComplaint, 2, `
		mould* | mold* | raw | undercooked | underbaked | not baked | wasnt baked | burnt | burned | charred | inedible | disgusting | gross
		gone off | food poisoning | made me sick | made me ill | felt sick | felt ill | got sick | stomach ache | stomachache | threw up
		allergic reaction | a reaction | hair in | a hair | plastic | glass in | metal | insect | a bug | bugs | eggshell | a shell | a stone
		cracked a tooth | broke a tooth | chipped a tooth | collapsed | in pieces | smashed | damaged | underproof* | overproof* | overbaked | overcooked
		hollow | not hygienic | unhygienic | unhygienisch | antihigienic* | zerbrochen | kaputt gegangen
		too sweet | too salty | too sour | too oily | too dense | too dry | too hard | too greasy | too burnt | too small | too doughy
		verschimmelt | schimmel* | roh | nicht durch* | verbrannt | angebrannt | ungeniessbar | eklig | ubel | bauchschmerzen | krank
		haar | plastik | glas | metall | schale | zahn | zu suss | zu salzig | zu trocken | zu hart | zu klein
		moho | mohos* | crudo | cruda | no estaba cocid* | quemad* | incomible | asqueros* | intoxicacion | me sento mal | dolor de
		vomit* | pelo | plastico | vidrio | cristal | cascara | piedra | demasiado dulce | demasiado salad* | demasiado sec*`))

	// Service: rude, ignored, nobody answers.
	add(cueList(cueComplaint, 2, `
		rock solid | solid as | like cardboard | tastes like nothing | taste of nothing | schmeckt nach nichts | sabe a nada | sabe a carton
		fell apart | falls apart | falling apart | zerbrosel* | zerfallt | zerfallen | se deshace | se deshacia | se rompe | se rompia
		no organisation | zero organisation | disorganised | disorganized | badly organised | schlecht organisiert | desorganizad*
		not accepted | wasnt accepted | werent accepted | refused | nicht angenommen | no me aceptaron | no aceptan | rechazad*
		without notice | without warning | no warning | ohne vorwarnung | ohne ankundigung | sin avisar | sin previo aviso
		cant do anything | couldnt do anything | nothing they can do | kann nichts machen | konnen nichts machen | no pueden hacer nada
		seriously | ernsthaft | en serio | im ernst | was soll das | echt jetzt | come on | malas maneras | bad manners | left without
		silly | stupid | absurd* | nonsense | pointless | lacherlich | albern | unsinn* | ridicul* | una tonteria | restock
		wrong | shambles | chaos | a mess | tasted off | smelled off | smells off | went off | turned | only one person | understaffed
		funktioniert ~ nicht | chaotisch | nur eine person | solo hay una persona | un desastre | un caos | durisim* | sequisim* | friisim*
		ever answered | ever answer | ever reply | ever replied | twice the size | double the size | doppelt so gross | el doble de grande
		rude | unfriendly | impolite | ignored | unprofessional | attitude | shameful | disrespect* | rolled ~ eyes | spoken to | talked down
		no reply | no answer | no response | not answering | doesnt answer | didnt answer | never answer* | never reply | never replies
		never respond* | rings out | hung up | not picking up | answer ~ emails | answer ~ messages | answer ~ dms | answer your | reply to ~ emails
		reply to messages | get back to me | got back to me | nobody told | no one told | nobody could | no one could | nobody knew | no one knew
		nobody helped | nobody answer* | nobody replied | nobody called | nobody picked | nobody served | nobody got back | no one answer*
		unfreundlich* | unhoflich* | frech* | pampig* | ignoriert | arrogant* | keine antwort | nicht erreichbar | beantwortet ~ kein* | meldet sich ~ nicht
		niemand ~ ran | niemand ~ meldet | niemand antwortet | keiner meldet | keiner antwortet | niemand konnte | keiner konnte
		maleducad* | groser* | antipatic* | borde | no contestan | no responden | sin respuesta | nadie contesta | nadie responde | nadie atiende
		nadie me | atendieron fatal | mal trato | mala atencion | nadie pudo | nadie sabia | mala cara | grumpy | moody | murrisch | schlecht gelaunt
		heard nothing | nothing back | no word | not heard | havent heard | still nothing | still no sign | noch nichts | nichts gehort | todavia nada | ni caso
		staff ~ dont | staff ~ didnt | they ~ didnt | dont want to be there`))

	// Waiting.
	add(cueList(cueComplaint, 2, `
		still waiting | been waiting | waiting since | waited ~ minutes | waited ~ hours | waited ~ min | waited ~ mins | minutes for a
		took forever | took ages | too long | hours late | an hour late | minutes late
		warte seit | warten seit | wartet seit | minuten gewartet | ewig gewartet | dauert ewig | zu lange | zu spat | stunde zu spat
		llevo ~ esperando | esperando la | esperamos ~ hora | esperamos ~ minutos | una eternidad | tardaron`))

	// The website, the app, the card reader.
	add(cueList(cueComplaint, 2, `
		website ~ down | site ~ down | app ~ down | shop ~ down | not working | isnt working | doesnt work | didnt work | wont load | doesnt load
		wont scan | doesnt scan | declined | keeps crashing | error message | cant order | cant pay | cant book | cant log | cant get through
		cant reach | couldnt order | couldnt pay | couldnt reach | couldnt hear | expired
		funktioniert nicht | geht nicht | nicht erreichbar | no funciona | no carga`))

	// How it left them feeling, and what they will do.
	add(cueList(cueComplaint, 2, `
		disappoint* | unacceptable | not acceptable | not ok | not okay | terrible | awful | horrible | worst | never again | wont be back
		not coming back | upset | frustrat* | annoyed | angry | furious | shocked | appalled | embarrass* | humiliat* | insult* | offended
		fed up | sick of | tired of | let down | gutted | complain* | gone downhill | quality ~ dropped | has dropped | giving up | give up on
		avoid | stay away | beware | not worth | waste of money | ridiculous | not good enough | not your usual | not the usual | not ~ usual standard
		used to be better | used to be bigger | used to be so much better | used to be good | used to be great | used to be huge | used to be nicer
		sort this out | sort it out | look into it | fix this | dont take ~ seriously | not serious | nothing like
		enttausch* | inakzeptabel* | nicht akzeptabel | schrecklich* | furchtbar* | schlimm* | nie wieder | argerlich* | verargert | genervt
		schockiert | entsetzt | peinlich | unmoglich | geht gar nicht | so geht man nicht | beschwerde | reklamation | frechheit | woanders
		nicht euer ernst | nicht mehr normal | fruher besser | nicht schon
		decepci* | inaceptable | no es aceptable | fatal | pesim* | malisim* | horrible* | nunca mas | verguenza | queja | reclamacion | molest* | enfadad*
		indignad* | harto | harta | hartos | asi no | nada que ver con antes | antes era mejor | antes eran mejores | disgustad*
		getting worse | got worse | gone worse | has slipped | slipping | worse than | must be better | needs to improve | need to improve | do better
		lasst ~ nach | nachgelassen | schlechter | muss besser | mussen besser | besser organisiert | tiene que mejorar | teneis que mejorar | peor | empeorad*
		no es lo mismo | nicht mehr dasselbe | nicht mehr das gleiche | not the same since | since you changed | seit ihr ~ habt | desde que cambiasteis`))

	// Milder cues: one alone is a complaint only when nothing good is said
	// and nothing is asked.
	add(cueList(cueComplaint, 1, `
		stale | dry | bad | slow | chewy | rubbery | soggy | mushy | gummy | doughy | greasy | oily | bland | tasteless | flavourless | bitter
		lukewarm | was cold | were cold | cold coffee | coffee ~ cold | stone cold | was flat | were flat | flat and | was dense | dense and
		hard as | rock hard | squashed | crushed | broken | from yesterday | day old | yesterdays | shrunk | shrinking | smaller | tiny | skimpy
		waited | long wait | queue* ~ long | so slow | too slow | slow service | was late | were late | arrived late | too late | late again
		sold out | all gone | gone again | nothing left | none left | run out | ran out | closed | locked | shut | no longer | not anymore
		expensive | pricey | steep | price* | too much | bit much | shame | sad to | not great | not the same | not what i | downhill
		too loud | so loud | noisy | dirty | filthy | sticky | smelly | no seats | cramped | freezing | nobody | no one | fix the | fix your | charged me
		would be nice if | it would help if | actually had | anymore | any more | badly | poorly | rushed | hektisch | gehetzt | con prisas
		didnt even | dont even | not even | nicht mal | nicht einmal | ni siquiera
		been ill | was ill | were ill | ill all | ill after | sick | paid | we paid | half an hour | an hour | halbe stunde | eine stunde | media hora | una hora | angestanden | anstehen
		clearly wasnt | clearly not
		schlecht* | trocken* | hart | harte | harten | hartes | steinhart* | zah | zahe | zahen | zaher | gummiartig* | matschig* | teigig* | klitschig*
		labberig* | pappig* | fettig* | fade | geschmacklos* | versalzen* | lauwarm* | kalt | kalte | kalten | kaltes | alt | alte | alten | altes | altbacken* | zerdruckt | kaputt | vom vortag | kleiner | geschrumpft | winzig | gewartet | schlange
		ausverkauft | alles weg | nichts mehr | geschlossen | schade | leider | zu laut | dreckig | schmutzig | niemand | keiner | nicht mehr
		wahre schon wenn | ware schon wenn | preise
		malo | mala | rancio | seco | seca | secos | secas | duro | dura | duros | duras | gomos* | chiclos* | blando | pastos* | aceitos* | grasient*
		soso | sosa | insipid* | amarg* | tibi* | frio | fria | frios | frias | aplastad* | roto | rota | del dia anterior | mas pequen* | diminut*
		llego tarde | muy tarde | demasiado tarde | retraso | esperamos | espere | agotad* | no quedaba | cerrado | cerrada | lastima | una pena | demasiado | sucio | sucia | ruido
		ya no | estaria bien que | nadie | caro | cara | caros | caras | precio*`))

	// How a complaint is put when its words are plain: what was asked for
	// and not done, tried again and again, done without a word, a change
	// for the worse, someone told what to do.
	add(cueList(cueComplaint, 2, `
		where is my order | wheres my order | where is our order | different amount | wrong amount | anderer betrag | falscher betrag | otro importe | importe distinto | wo bleibt ~ bestellung | wo ist ~ bestellung | donde esta ~ pedido
		tried ~ times | called ~ times | rang ~ times | phoned ~ times | emailed ~ times | messaged ~ times | asked ~ twice | asked ~ times | times now
		mehrmals angerufen | mehrfach angerufen | mehrmals nachgefragt | mehrfach nachgefragt | zweimal nachgefragt | schon ~ mal angerufen
		varias veces | he llamado ~ veces | llame ~ veces | escrito ~ veces
		without telling | without asking | without letting | without a word | ohne ~ bescheid | ohne ~ zu sagen | ohne ~ zu fragen | sin decir | sin preguntar | sin avisarme
		could have been serious | could have been dangerous | could have been worse | hatte ~ gefahrlich | podria haber sido
		still frozen | frozen inside | frozen in the middle | noch gefroren | innen ~ gefroren | congelad* por dentro | todavia congelad*
		downgrade | step backwards | a step back | a step down | ruckschritt | verschlechterung | un paso atras | un retroceso
		warte ~ noch | warten ~ noch | immer noch ~ warte* | sigo esperando | seguimos esperando | sigo sin | seguimos sin
		lasst ~~ nach | lasst ~~ zu wunschen | deja ~ que desear
		charg* ~ twice | cobr* ~ dos veces | cobr* ~ de mas | cobr* ~ doble | doppelt ~ abgebucht | zweimal ~ abgebucht | no me devolv* | nie erstattet
		please train | train your | stop charging | bitte schult | schult ~ personal | dejad de cobrar | formad a
		went green | turned green | gone green | grun geworden | se puso verde | se ha puesto verde | eingebacken | baked into it
		ill all night | sick all night | up all night with | die ganze nacht ~ krank | toda la noche ~ mal
		served ~ before me | people after me | skipped me | nach mir ~ bedient | ubersehen | ubergangen | atendieron antes | se colaron
		no puede ser | das kann nicht sein | cant be right | otra vez sin | de nuevo sin | wieder ohne | schon wieder ohne`))
	add(cueList(cueComplaint, 1.5, `
		photo attached | see photo | pic attached | picture attached | attached a photo | see attached | foto anbei | bild anbei | siehe foto
		adjunto ~ foto | te adjunto | os adjunto | adjunto el | adjunto la | sat on | been dropped | run over | uncomfortable | unbequem | incomod*
		couldnt wait to leave | wanted to leave | left straight away | wollte nur noch weg | happig | saftige preise | pretty sure | ziemlich sicher
		for ~ didnt want | for ~ didnt order | for ~ didnt ask for | didnt order | didnt ask for | never ordered | nicht bestellt | nie bestellt | no pedi | no habia pedido | no lo pedi
		couldnt finish | couldnt eat | couldnt have any | konnte ~ nicht essen | konnten ~ nicht essen | no pude comer | no pudimos comer | no se podia comer
		and now you say | now you say | now you tell | und jetzt sagt ihr | y ahora decis | y ahora me decis
		miss the old | loved the old | the old recipe | old version | alte rezept | die alte rezeptur | la receta antigua | la receta de antes
		meh | mediocre | underwhelming | nothing special | mittelmassig | nichts besonderes | nada especial | regulero | normalito
		please stop | please fix | please check your | hort auf | dejad de | aprended a
		expected more | expected better | hatte mehr erwartet | mehr erwartet | esperaba mas | esperaba algo mejor | not how you treat | treat ~ customers
		so behandelt man | asi no se trata | unverschamt* | nicht in ordnung | no es normal | un timo | estafa | betrug | abgezockt | vaya tela
		dont get the hype | overhyped | overrated | uberbewertet | sobrevalorad* | antes ~ mejor | fruher ~ besser | waren mal besser | war mal besser
		not a fan of | kein fan | no soy fan | not what they were | not what it was | not what it used to be | not like it used to be
		nicht mehr wie fruher | nicht mehr das was | came without | arrived without | came with no | arrived with no | kam ohne | kamen ohne | kam ~ ohne ~ an
		llego sin | llegaron sin | vino sin | venia sin`))
	add(cueList(cueComplaint, 1, `
		where is it | wheres it | where is my | wheres my | wo bleibt | wo ist mein* | donde esta mi | donde esta el
		you ~ cancelled | you ~ canceled | you took | you ~ charged | you ~ sold | you ~ moved | you ~ lost | you ~ closed | you ~ raised | you ~ removed
		you ~ stopped | you ~ messed | ihr habt ~ storniert | ihr habt ~ abgesagt | ihr habt ~ berechnet | cancelasteis | me cobrasteis | me vendisteis | quitasteis
		your ~ charged | your ~ told | your ~ refused | charged my card | charged my | charging me | charg* me for
		used to be | used to have | used to get | war fruher | waren fruher | antes era | antes eran | antes tenia
		more like a | more like an | closer to a | eher wie | mas bien un | mas bien una | parecia un | parecia una
		in the middle | in der mitte | innen drin | por dentro | war zu | hatte zu | ist zu | estaba cerrad* | papier | paper | papel
		barely | kaum noch | apenas | for that price | at that price | for the price | fur den preis | por ese precio | a ese precio
		disaster | katastroph* | catastrof*
		second person | another person | more staff | extra staff | mehr personal | zweite person | mas personal | otra persona
		weeks now | days now | a month now | weeks later | days later
		no ~ at all | none at all | gar kein* | uberhaupt kein* | uberhaupt nicht | nada de nada | para nada | for nothing | fur nix | fur nichts
		watery | wassrig | aguad* | weak | watered down | schwach | dunn | flojo | floja | salty | salzig | salado | salada | leak* | undicht | gotea* | are gone | is gone | sind weg | ist weg | han desaparecido | desaparecio | desaparecieron
		only found out | found out when | erst ~ erfahren | me entere cuando | nos enteramos cuando | pick up the phone | answer the phone | ans telefon | coger el telefono | contestar el telefono
		could ~ actually | can ~ actually | would ~ actually | will ~ actually | endlich mal | right first | richtig hinbekommen
		would be great if | would be good if | it would be nice | wouldnt hurt | ware gut wenn | ware toll wenn | seria genial que | seria bueno que`))
	add(cueList(cueComplaint, 0.5, `
		you really need | you need to | you should | you guys need | ihr solltet | ihr musst | ihr musstet | deberiais | teneis que
		hmm | hmmm | hm | honestly | ehrlich gesagt | la verdad`))
	// Phrases that hold a cue's word and mean something else: "frutos
	// secos" are nuts, not dry ones.
	add(cueList(cueOther, 0, `would love | id love | wed love | would have loved | wurde gern* | hatte gern* | me encantaria | me gustaria
		frutos secos | dried fruit | trockenobst | kaum zu glauben | rock and roll
		in the middle of | mitten in | en medio de | en mitad de | plastic bag* | paper bag* | plastic cup* | paper cup* | plastic free | plastikfrei
		plastiktut* | papiertut* | bolsa* de papel | bolsa* de plastico | glass jar* | glass bottle* | or plastic | or paper | oder plastik | o plastico
		weak spot | soft spot | weakness for | schwache fur | debilidad por | barely wait | kaum erwarten
		wrong account | wrong chat | wrong person | wrong thread | wrong dm | wrong conversation | wrong window | wrong group
		falscher chat | falschen chat | falsche person | chat equivocado | persona equivocada | cuenta equivocada`))

	// Cues that come with a negation of their own ("doesn't match them
	// anymore"): one before them does not turn them round.
	lex.negationBound = wordSet(`anymore any_more at_all`)

	// Forgetting is a complaint when the business forgot, not when "I
	// left my umbrella, ich habe ihn vergessen".
	add(cueList(cueForgot, 2, `forgot | forgotten | forget | vergessen | vergass | olvidasteis | olvidado`))

	// ---- praise ----
	add(cueList(cuePraise, 2, `
		love | loved | lovely | loving | best | amazing | delicious | incredible | perfect | beautiful | gorgeous | wonderful | fantastic
		brilliant | superb | excellent | outstanding | exceptional | divine | heaven* | magnificent | stunning | phenomenal | thank you | thanks
		thank | so kind | favourite | favorite | recommend* | worth the | worth it | worth every | 10 10 | yum* | tasty | unreal | spot on
		lifesaver* | legend | wow | real deal | proper bakery | nicest | made my day | made my week | made my morning | to die for | die for
		ruined ~ for me | highlight of | life changing | lifechanging | got me through | never misses | cannot get enough | cant get enough
		cant stop | so good | too good | really good | stupidly good | seriously good | bloody good | damn good | unbeatable
		killer | obsessed | addicted | addictive | insanely | sinfully | dangerously good | crazy good | wicked good
		nowhere ~ better | nothing beats | no one does | nobody does
		lecker* | danke | dank | beste | bester | bestes | besten | wunderbar* | wunderschon* | grossartig* | kostlich* | wahnsinn* | traumhaft*
		genial* | toll | tolle | tollen | tolles | klasse | spitze | begeistert | himmlisch* | liebe | lieben | unschlagbar* | empfehlung | empfehle*
		genuss | hammer | perfekt* | kompliment | immer wieder gern* | einfach super
		fantastisch | ein traum | weltklasse | sensationell | hervorragend | ausgezeichnet | nirgends ~ besser* | nirgendwo ~ besser*
		delicios* | rico | rica | ricos | ricas | riquisim* | buenisim* | gracias | el mejor | la mejor | los mejores | las mejores | increible
		me encanta | me encantan | encanto | encantaron | maravill* | espectacular | genial | geniales | de muerte | exquisit* | recomiendo
		imprescindible | de diez | perfect* | fantastic* | en ningun sitio ~ mejor | ningun sitio ~ mejor | encantad* | muchisimas gracias
		shout out | shoutout | kudos | props to | hats off | never change | dont ever change | missing out | gem | cheers | at last | fabulous | delightful | kindest | a pleasure | un placer | atent* | wins every | dreaming about | still dreaming | reason i | such a fun | learned loads | cant recommend ~ enough | cannot recommend ~ enough`))
	add(cueList(cuePraise, 2, `
		not even mad | no regrets | regret nothing | zero regrets | would do it again | do it again | doing it wrong | how good | so glad
		outdone | outdid | next level | another level | otro nivel | andere liga | eigene liga | what a treat | won me over | should be illegal | crime against
		uberzeugt | me conquisto | me convencio | me ha convencido | sin palabras | speechless | sprachlos | que pasada | menuda pasada | no me canso
		nicht genug bekommen | kann nicht genug | nichts geht uber | nada como | saved my | rettet mir | retten mir | rettet meinen | me salva | me salvo
		out of this world | de otro planeta | nicht von dieser welt | changed my mind | dont miss | nicht verpassen | no os lo perdais | no te lo pierdas
		richtig gut | echt gut | sehr gut | muy bueno | muy buena | deserves | verdient | se merece | worth getting | worth going | worth waking
		get the hype | worth the hype | lives up to the hype | lived up to the hype
		keeps getting better | keep getting better | wird immer besser | cada vez mejor | converted me | keep up the
		couldnt stop | konnte nicht aufhoren | no podia parar | even better | better than ever | noch besser | besser denn je | aun mejor | mejor que nunca
		un exito | que bueno | que buena | que rico | que rica | que pinta | que maravilla | que delicia | wie lecker
		gone in minutes | gone in seconds | compliments | komplimente | cumplidos | was a hit | were a hit | big hit | voller erfolg | todo un exito`))
	add(cueList(cuePraise, 1.5, `nicht uberall | not everywhere | no en todas partes | no en cualquier sitio | asked where | preguntaron de donde | gefragt woher`))
	add(cueList(cuePraise, 1, `glad | a treat | froh | me alegro | thanks to | gracias a`))
	add(cueList(cuePraise, 1, `
		great | good | nice | kind | happy | fresh | super | mega | friendly | helpful | impressed | fair | gut | nett | freundlich | lieb | fair | normal
		bueno | buena | bonito | bonita | fresco | fresca | amable | simpatic* | justo | normal`))
	// Laughter and delight mark chatter, whatever else is said.
	lex.laughter = wordSet(`haha hahaha lol lmao rofl jaja jajaja jeje xd hihi`)
	// Negations that are only manners: "no worries", "oh no".
	lex.idleNots = newCueSet(cueList(cueOther, 0, `oh no | no worries | dont worry | no problem | not a problem | no pasa nada | sin problema | kein problem | keine sorge | macht nichts
		didnt mean to | pretend i didnt | no queria | wollte nicht
		cant believe | cannot believe | kaum zu glauben | no me lo creo | never been | noch nie | nunca he | dont be late | dont forget | no te olvides
		didnt know | wusste nicht | no sabia | not gonna lie | not going to lie | cant wait | kann es kaum | kanns kaum | no puedo esperar | no veo la hora
		sorry not sorry | not ~ until | nicht ~ bis | no ~ hasta | not sure | nicht sicher | no se si | no idea | keine ahnung | ni idea | no doubt | kein zweifel | sin duda | why not | warum nicht | por que no`))

	lex.expect = newCueSet(cueList(cueOther, 0, `
		ordered | preordered | for pickup | for collection | zur abholung | para recoger | my order | our order | the order | placed an order | bought | picked up | collected | paid | booked | reserved
		was told | were told | told me | told us | you said | they said | she said | he said | promised | confirmed | confirmation | receipt
		asked for | asked whether | asked if | label says | it says | website says | site says | app says | menu says | sign says | post says
		bestellt | bestellte | bestellten | bestellung | vorbestellung | vorbestellt | gekauft | abgeholt | bezahlt | gezahlt | gebucht | reserviert
		gesagt | hiess es | versprochen | bestatigt | bestatigung | steht ~ drauf | laut etikett | laut website | laut eurer
		pedi | pedimos | mi pedido | el pedido | nuestro pedido | encargue | encargamos | mi encargo | el encargo | compre | compramos | recogi
		recogimos | pague | pagamos | pagado | reserve | reservamos | me dijeron | nos dijeron | me dijisteis | dijisteis | confirmaron | confirmacion
		prometieron | prometisteis | la etiqueta | pone que | advertise* | pictured | in the picture | in the photo | on the photo | in your post
		auf dem foto | im angebot | en la foto | online stand | stand online | laut google | google says | it said | kauft | kaufe`))
	lex.deviate = wordSet(`only half instead different without nur halb halbe halben stattdessen statt anders ohne solo mitad vez lugar sin distinto distinta`)
	lex.outcome = wordSet(`got received gave given came arrived delivered mine bekommen bekam bekommt kriegt erhalten geliefert kam kamen gab meiner meine
		mio mia
		dieron dio entregaron llego llegaron vino venia venian recibi recibimos trajeron`)
	lex.segments = wordSet(`and but then when und aber dann als y pero luego cuando`)
	lex.costs = wordSet(`cost costs costing price prices priced charge charged charging cents cent euro euros eur
		kostet kosten kostete preis preise cuesta cuestan costaba precio precios cobrais cobran centimos`)
	lex.more = wordSet(`more extra mehr mas`)
	lex.change = wordSet(`got gotten getting become becoming became geworden werden wird wurde wurden vuelto cada`)
	lex.worse = wordSet(`smaller worse pricier less fewer thinner shorter slower kleiner teurer schlechter weniger dunner langsamer
		peor peores menos pequeno pequenos pequena pequenas caro caros`)
	lex.whyPhrases = newCueSet(cueList(cueOther, 0, `how come | is there a reason | any reason | gibt es einen grund | wie kann es sein | como es que
		is it normal | is that normal | is this normal | ist das normal | ist es normal | es normal que | es normal`))
	lex.happened = newCueSet(cueList(cueOther, 0, `what happened | whats happened | what happend | was ist passiert | was ist ~ passiert | was ist los | was war los
		que paso | que ha pasado | que le ha pasado | que les ha pasado`))
	lex.sarcasm = newCueSet(cueList(cueOther, 0, `love how | love that | love it when | gotta love | got to love | love getting | love being | love paying | love waiting
		thanks for nothing | danke fur nix | danke fur nichts | gracias por nada | wie schon dass | me encanta como | me encanta que`))
	lex.claims = wordSet(`fresh freshly homemade handmade home made vegan vegetarian gluten organic artisan artisanal local natural healthy sugar broken later soon
		frisch frische frischen frisches hausgemacht handgemacht bio regional glutenfrei gleich bald
		fresco fresca frescos frescas casero casera artesano artesana artesanal ecologico natural sano enseguida pronto`)
	lex.numberWords = map[string]string{}
	for i, words := range []string{
		"two zwei dos", "three drei tres", "four vier cuatro", "five funf cinco", "six sechs seis",
		"seven sieben siete", "eight acht ocho", "nine neun nueve", "ten zehn diez", "eleven elf", // not "once": English says it too
		"twelve zwolf doce dozen dutzend docena",
	} {
		for _, w := range strings.Fields(words) {
			lex.numberWords[w] = strconv.Itoa(i + 2)
		}
	}
	lex.clockBefore = wordSet(`at by until till before after around um bis gegen ab las`)
	lex.clockAfter = wordSet(`am pm uhr oclock h horas`)
	lex.owed = map[string]bool{"refund*": true, "money back": true, "my money": true, "reimburs*": true, "compensat*": true,
		"erstattung": true, "ruckerstattung": true, "geld zuruck": true, "reembolso": true, "devolucion": true,
		"devolver el dinero": true, "devuelvan": true}
	lex.praiseSlang = map[string]bool{"ridicul*": true, "insane": true, "criminal": true}
	lex.intensifiers = wordSet(`so too really very super way echt total sehr voll muy tan bastante demasiado`)
	lex.travel = wordSet(`drove drive driving walked walk walking cycled cycle biked bike ride rode travelled traveled train trip away
		gefahren gelaufen fahrt fahre radeln conduje caminando andando camino`)
	hedges := `or is it just me | or just me | is it just me | oder bilde ich mir das ein | bilde ich mir das ein | oder tausche ich mich | o soy yo | o me lo parece | o es cosa mia`
	lex.hedges = newCueSet(cueList(cueOther, 0, hedges))
	add(cueList(cueComplaint, 1, hedges))
	lex.hypothetical = wordSet(`if policy whether falls wenn ob si politica`)
	lex.thanks = map[string]bool{"thanks": true, "thank you": true, "thank": true, "danke": true, "dank": true, "gracias": true, "cheers": true, "muchisimas gracias": true}
	lex.tags = wordSet(`right eh ok okay yes no yeah oder ne gell ja nicht wahr vale verdad no si`)

	again := cueList(cueAgain, 0, `
		again | every time | everytime | third time | second time | last ~ times | twice this | once again | yet again | each time | in a row | week running
		wieder | jedes mal | schon wieder | zum dritten | zum zweiten | zweite mal | dritte mal | otra vez | de nuevo | cada vez | siempre igual`)
	lex.again = map[string]bool{}
	for _, c := range again {
		lex.again[c.name] = true
	}
	add(again)

	lex.requests = newCueSet(cueList(cueOther, 0, `
		id like | i would like | i want to order | i wanted to order | can i | could i | may i | can you | could you | would you | will you
		please let me know | let me know | would love to know | id love to know | wondering if | wondering whether | wonder if | wonder whether
		is it possible | would it be possible | open to | could you tell me | wanted to ask | i want to cancel | id like to cancel
		ich mochte | ich hatte gern* | ich wurde gern* | konnt ihr | konnen sie | kannst du | ware das moglich | ist es moglich | bitte um | konnten wir
		quisiera | quiero encargar | me gustaria | queria saber | queria pedir | queria encargar | queria reservar | podeis | podriais | podria | es posible`))
	lex.askOthers = newCueSet(cueList(cueOther, 0, `who else | wer noch | quien mas | quien se`))
	lex.askAbout = newCueSet(cueList(cueOther, 0, `anyone know | anybody know | someone know | know if | know whether | weiss jemand | weiss einer | alguien sabe`))
	lex.topics = newCueSet(cueList(cueOther, 0, `
		open* | close | closing | hours | price* | cost* | how much | order* | pre-order* | preorder* | deliver* | ship* | pick up | pickup | collect
		book* | reserv* | workshop* | class* | course* | vegan | gluten* | allerg* | nut* | egg* | dairy | lactose | sesame | ingredient* | card | cash
		pay | parking | dog* | cake* | cater* | wholesale | supplier | supply | voucher* | gift card* | loyalty | menu | recipe | starter | freeze
		keep | slice* | sliced | job | hiring | shift | interview | feature | stall | donat* | raffle | sell | stock | left | buns | loaf | bread
		croissant* | baguette* | shop | store | cafe | wedding | birthday | party | event | wheelchair | step-free | accessible | discount
		student* | newsletter | decaf | milk | flour
		geoffnet | offen | offnungszeiten | schliesst | preis* | kostet | bestell* | vorbestell* | liefer* | abhol* | buch* | kurs* | vegan
		glutenfrei | allergi* | laktosefrei | karte | zahlen | *torte | gutschein* | rezept* | anstellgut | sauerteig | einfrieren | zuruckleg*
		*brot | *brotchen | *kuchen | laden | barrierefrei | rollstuhl | geburtstag | hochzeit | abo | sorten | brezel*
		abris | abren | abierto | horario | cierran | precio* | cuesta | cuanto | encarg* | pedido* | envio* | domicilio | recoger | reserv*
		lleva | llevan | drin | enthalt* | frutos secos | taller* | curso* | vegano | gluten | alergi* | lactosa | huevo | tarjeta | efectivo | pagar | tarta* | vale | receta | masa madre | pan
		harina | mesa | empresa* | tienda | silla de ruedas | cumpleanos | boda`))

	lex.cues = newCueSet(all)
	return lex
})
