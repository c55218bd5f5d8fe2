package sentiment

import "sync"

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
}

var lexicon = sync.OnceValue(func() *lexiconT {
	lex := &lexiconT{
		negators: wordSet(`not no never nothing none nor hardly isnt wasnt arent werent dont doesnt didnt cant cannot couldnt wont wouldnt havent hasnt
			nicht kein keine keinen keiner keinem keines nie niemals nichts
			nunca ni tampoco nada ningun ninguna`),
		contrast: wordSet(`but though however although except aber jedoch allerdings pero aunque sino`),
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
			ihr du sie wir man es der die das ein eine es jemand`),
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
	add(cueList(cuePraise, 1, `
		great | good | nice | kind | happy | fresh | super | mega | friendly | helpful | impressed | fair | gut | nett | freundlich | lieb | fair | normal
		bueno | buena | bonito | bonita | fresco | fresca | amable | simpatic* | justo | normal`))
	// Laughter and delight mark chatter, whatever else is said.
	lex.laughter = wordSet(`haha hahaha lol lmao rofl jaja jajaja jeje xd hihi`)
	// Negations that are only manners: "no worries", "oh no".
	lex.idleNots = newCueSet(cueList(cueOther, 0, `oh no | no worries | dont worry | no problem | not a problem | no pasa nada | sin problema | kein problem | keine sorge | macht nichts
		didnt mean to | pretend i didnt | no queria | wollte nicht`))

	again := cueList(cueAgain, 0, `
		again | every time | everytime | third time | second time | twice this | once again | yet again | each time | in a row | week running
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
		taller* | curso* | vegano | gluten | alergi* | lactosa | huevo | tarjeta | efectivo | pagar | tarta* | vale | receta | masa madre | pan
		harina | mesa | empresa* | tienda | silla de ruedas | cumpleanos | boda`))

	lex.cues = newCueSet(all)
	return lex
})
