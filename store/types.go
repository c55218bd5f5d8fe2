package store

import "time"

// Platform names as stored in accounts.platform.
const (
	PlatformMastodon = "mastodon"
	PlatformBluesky  = "bluesky"
	PlatformSandbox  = "sandbox"
)

// Account is a social network account crier publishes to and reads from.
type Account struct {
	ID          int64
	Platform    string
	Handle      string
	Server      string
	DisplayName string
	NeedsReauth bool
}

// PostState is the roll-up state of a post over its deliveries.
type PostState string

const (
	PostDraft  PostState = "draft"
	PostQueued PostState = "queued"
	PostSent   PostState = "sent"
	PostFailed PostState = "failed"
	PostMissed PostState = "missed"
)

// Post is what the user writes once, for one or more accounts.
type Post struct {
	ID            int64
	Body          string
	State         PostState
	ScheduledAt   time.Time // zero for a draft with no time; UTC
	ScheduledZone string    // IANA zone the time was chosen in
	CampaignID    int64     // 0 for none
	ThreadParent  int64     // 0 unless this post continues a thread
	ReplyToItem   int64     // the inbox item this post answers; 0 for a post of its own
	Targets       []Target
	Media         []Media
	Labels        []string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Target is an account a post goes to, with an optional text just for it.
type Target struct {
	AccountID    int64
	BodyOverride string // "" means use the post's body
	HasOverride  bool
}

// Media is an image attached to a post.
type Media struct {
	Path    string
	Mime    string
	AltText string
}

// DeliveryState is where one copy of a post is on its way to one account.
type DeliveryState string

const (
	DeliveryQueued  DeliveryState = "queued"
	DeliverySending DeliveryState = "sending"
	DeliverySent    DeliveryState = "sent"
	DeliveryFailed  DeliveryState = "failed"
	DeliveryUnknown DeliveryState = "unknown"
	DeliveryMissed  DeliveryState = "missed"
	DeliveryDropped DeliveryState = "dropped" // missed, and the user chose not to send it
)

// Delivery is one post sent (or to be sent) to one account.
type Delivery struct {
	ID             int64
	PostID         int64
	AccountID      int64
	State          DeliveryState
	DueAt          time.Time
	NextAttemptAt  time.Time
	Attempts       int
	LastError      string
	IdempotencyKey string
	RemoteID       string
	RemoteCID      string // Bluesky's content hash; "" elsewhere
	RemoteURL      string
	// SentAt is when the network accepted the post (zero until then);
	// FirstAttemptAt is when it was first tried (zero until then).
	SentAt         time.Time
	FirstAttemptAt time.Time
	Metrics        Metrics
	MetricsAt      time.Time
}

// Metrics are a post's public counters on a network.
type Metrics struct {
	Likes, Reposts, Replies, Quotes int
}

// Engagement is likes + reposts + replies + quotes.
func (m Metrics) Engagement() int { return m.Likes + m.Reposts + m.Replies + m.Quotes }

// InboxKind is what an inbox item is.
type InboxKind string

const (
	KindMention InboxKind = "mention"
	KindReply   InboxKind = "reply"
	KindQuote   InboxKind = "quote"
	KindDM      InboxKind = "dm"
	// KindListening is a public post social listening found: said about
	// the business (a keyword, a hashtag), not to it.
	KindListening InboxKind = "listening"
)

// InboxState is where an inbox item is in triage.
type InboxState string

const (
	InboxOpen    InboxState = "open"
	InboxDone    InboxState = "done"
	InboxSnoozed InboxState = "snoozed"
)

// InboxItem is one thing someone said to or about the business. Its text
// fields came from strangers: strip them before drawing.
type InboxItem struct {
	ID              int64
	AccountID       int64
	Platform        string
	RemoteID        string
	RemoteCID       string // Bluesky's content hash; "" elsewhere
	Kind            InboxKind
	Term            string // KindListening: the keyword or hashtag that found it
	AuthorHandle    string
	AuthorName      string
	AuthorFollowers int // -1 when unknown
	Body            string
	URL             string
	ThreadRoot      string // the thread's first post; a DM's conversation
	RootCID         string // Bluesky's content hash of ThreadRoot
	InReplyTo       string
	ReceivedAt      time.Time
	State           InboxState
	SnoozedUntil    time.Time
	Read            bool
	Sentiment       float64
	HasSentiment    bool
	Question        bool // the text asks something
	Liked           bool // the account liked (favourited) it
	Reposted        bool // the account reposted (boosted) it
	Labels          []string
	RepliedAt       time.Time // when our first reply went out; zero if none has
	// Class is what the message is, read when it was stored.
	Class InboxClass
	// DeletedAt is when a sync found that its author had deleted it; zero
	// while it exists.
	DeletedAt time.Time
	// Its place in the needs-attention order (0 complaint, 1 question, 2
	// concern, 3 praise, 4 the rest, 5 what listening found; then
	// AttentionAt, oldest
	// first) and in search results (SearchKey). The database derives them
	// from the fields above; they are read, never written.
	Attention   int
	AttentionAt time.Time
	SearchKey   int64
}

// InboxClass is what an inbox message is (sentiment.Classify).
type InboxClass string

const (
	ClassComplaint InboxClass = "complaint"
	ClassQuestion  InboxClass = "question"
	ClassConcern   InboxClass = "concern" // maybe a complaint: something did not happen or is not so
	ClassPraise    InboxClass = "praise"
	ClassOther     InboxClass = "other"
)

// Campaign groups posts under a goal and a budget.
type Campaign struct {
	ID          int64
	Name        string
	Slug        string // what utm_campaign carries (Slugify)
	StartsOn    string // YYYY-MM-DD, "" for none
	EndsOn      string // the last day, inclusive
	BudgetCents int64  // minor units of Currency
	Currency    string
	Goal        string // what the campaign is for, in the user's words (goals are Goal rows)
	Audience    string // who it is for and what they care about
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RemoteRef points at a post on a network: its id there and, on Bluesky, its
// content hash (a reply needs both).
type RemoteRef struct {
	ID  string
	CID string
}
