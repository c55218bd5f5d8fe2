package drafts

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/analytics/utm"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// The composer's Campaign field: which campaign the post is in, picked
// from the campaigns there are, and the links as they go out to each
// network, tagged with it (analytics.FinalText, the function the
// scheduler sends with), so what is shown and counted is what is sent.

// maxLinkLines bounds the networks whose final link the field shows.
const maxLinkLines = 3

// campaignsMsg answers loadCampaigns: the campaigns to offer and, for a
// saved post, the A/B variant it is and the links its copies were sent
// with before (a retry sends those again).
type campaignsMsg struct {
	gen       int
	campaigns []store.Campaign
	variant   string
	links     []store.TaggedLink
	err       error
}

// campaignState is what the composer knows for its Campaign field.
type campaignState struct {
	tagger    *utm.Tagger // the business's domains; nil for none
	loaded    bool
	campaigns []store.Campaign
	variant   string // the A/B variant's utm_content, "" for none
	links     []store.TaggedLink
	cursor    int // in the choices: 0 is none, i is campaigns[i-1]
}

// newCampaignState reads the business's domains (config-checked, so a
// domain that does not read is left out rather than stopping the
// composer).
func newCampaignState(domains []string) campaignState {
	var cs campaignState
	if len(domains) > 0 {
		cs.tagger, _ = utm.NewTagger(domains)
	}
	return cs
}

// loadCampaigns reads the campaigns and, for a saved post, its A/B variant
// and the links it was tagged with.
func loadCampaigns(st *store.Store, gen int, postID int64) tea.Cmd {
	if st == nil {
		return nil
	}
	return func() tea.Msg {
		ctx := context.Background()
		msg := campaignsMsg{gen: gen}
		msg.campaigns, msg.err = st.Campaigns(ctx)
		if msg.err != nil || postID == 0 {
			return msg
		}
		var v store.ABVariant
		var ok bool
		if v, ok, msg.err = st.ABVariantOfPost(ctx, postID); msg.err != nil {
			return msg
		} else if ok {
			msg.variant = v.UTMContent
		}
		msg.links, msg.err = st.PostTaggedLinks(ctx, postID)
		return msg
	}
}

func (m *composer) onCampaigns(msg campaignsMsg) tea.Cmd {
	if msg.err != nil {
		return common.Status("couldn't read the campaigns: "+msg.err.Error(), true)
	}
	cs := &m.camp
	cs.loaded, cs.campaigns, cs.variant, cs.links = true, msg.campaigns, msg.variant, msg.links
	cs.cursor = 0
	for i, c := range cs.campaigns {
		if c.ID == m.base.CampaignID {
			cs.cursor = i + 1
		}
	}
	m.refresh()
	return nil
}

// campaign is the campaign the post is in, if the composer knows it.
func (m *composer) campaign() (store.Campaign, bool) {
	for _, c := range m.camp.campaigns {
		if c.ID == m.base.CampaignID && c.ID != 0 {
			return c, true
		}
	}
	return store.Campaign{}, false
}

// showsCampaign reports whether the Campaign field is there: once there
// are campaigns to pick from, or the post is in one.
func (m *composer) showsCampaign() bool {
	return len(m.camp.campaigns) > 0 || m.base.CampaignID != 0
}

// copyFor is how account a's copy tags its links.
func (m *composer) copyFor(a store.Account, own bool) analytics.Copy {
	slug := ""
	if c, ok := m.campaign(); ok {
		slug = c.Slug
	}
	return analytics.NewCopy(m.base.ID, a.ID, a.Platform, m.base.CampaignID, slug, own, m.camp.variant)
}

// finalText is the text account a's copy goes out with.
func (m *composer) finalText(a store.Account, text string, own bool) string {
	c := m.copyFor(a, own)
	if !c.Tagged() {
		return text
	}
	final, _ := analytics.FinalText(m.camp.tagger, text, c, m.camp.links)
	return final
}

// pickCampaign moves the Campaign field's choice by step (none, then each
// campaign), and puts the post in it.
func (m *composer) pickCampaign(step int) tea.Cmd {
	cs := &m.camp
	if !cs.loaded {
		return nil
	}
	n := len(cs.campaigns) + 1
	cs.cursor = ((cs.cursor+step)%n + n) % n
	id := int64(0)
	if cs.cursor > 0 {
		id = cs.campaigns[cs.cursor-1].ID
	}
	if id == m.base.CampaignID {
		return nil
	}
	m.base.CampaignID = id
	cmd := m.edited()
	if m.base.ID == 0 && !m.saving && !m.queueing {
		// utm_content names the post: save it now, so its links show
		// with its id rather than after the autosave's delay.
		cmd = tea.Batch(cmd, m.startSave())
	}
	return cmd
}

func (m *composer) campaignKey(msg tea.KeyMsg) tea.Cmd {
	nav := m.c.Nav
	switch {
	case key.Matches(msg, nav.Left, nav.Up):
		return m.pickCampaign(-1)
	case key.Matches(msg, nav.Right, nav.Down, m.keys.Toggle):
		return m.pickCampaign(1)
	}
	return nil
}

// campaignLines are the Campaign field: the campaign, then for each
// network (up to maxLinkLines) the first link that goes out tagged, as it
// goes out.
func (m *composer) campaignLines() []string {
	if !m.showsCampaign() {
		return nil
	}
	s := m.c.Styles
	w := m.width
	indent := strings.Repeat(" ", labelWidth)
	name := "none"
	c, known := m.campaign()
	switch {
	case known:
		name = common.Clean(c.Name) + " · " + c.Slug
	case m.base.CampaignID != 0:
		name = fmt.Sprintf("campaign %d", m.base.CampaignID)
	}
	// "Campaign" is longer than the other fields' names: its line has a
	// wider label of its own.
	label := s.InputLabel.Render("  Campaign ")
	if m.focus == fieldCampaign && m.prompt == nil {
		label = s.Accent.Render("▸ Campaign ")
	}
	line := label + s.Text.Render(common.Truncate(name, max(w-labelWidth-2, 0), "…"))
	if m.focus == fieldCampaign {
		line += s.Muted.Render("  ←/→ picks")
	}
	lines := []string{common.Truncate(line, w, "…")}

	// The first tagged link of each network's copy, as it goes out: the
	// first network's in full, the others as the difference.
	type netLink struct {
		platform, link string
		more           int
	}
	var found []netLink
	seen := map[string]bool{}
	for i, a := range m.c.Accounts {
		if !m.selected[i] || seen[a.Platform] {
			continue
		}
		seen[a.Platform] = true
		text, own := m.accountText(a.ID)
		cp := m.copyFor(a, own)
		if !cp.Tagged() {
			continue
		}
		_, links := analytics.FinalText(m.camp.tagger, text, cp, m.camp.links)
		nl := netLink{platform: a.Platform}
		for _, l := range links {
			switch {
			case !l.Tagged:
			case nl.link == "":
				nl.link = l.Final
			default:
				nl.more++
			}
		}
		if nl.link != "" {
			found = append(found, nl)
		}
	}
	tagged := len(found) > 0
	for i, nl := range found {
		if i == maxLinkLines {
			break
		}
		lead := nl.platform + ": "
		if nl.more > 0 {
			lead = fmt.Sprintf("%s (+%d more links): ", nl.platform, nl.more)
		}
		room := max(w-labelWidth, 1)
		if i > 0 {
			first := found[0]
			same := strings.Replace(first.link, "utm_source="+strings.ToLower(first.platform), "utm_source="+strings.ToLower(nl.platform), 1)
			if same == nl.link && nl.more == first.more {
				lines = append(lines, indent+s.Muted.Render(common.Truncate(nl.platform+": the same with utm_source="+
					strings.ToLower(nl.platform), room, "…")))
				continue
			}
		}
		// A link has no spaces to wrap at: it is cut where the line ends,
		// in at most three lines.
		wrapped := strings.Split(ansi.Hardwrap(lead+common.Clean(nl.link), room, true), "\n")
		if len(wrapped) > 3 {
			wrapped = append(wrapped[:2], common.Truncate(strings.Join(wrapped[2:], ""), room, "…"))
		}
		for j, l := range wrapped {
			if j == 0 && len(l) >= len(lead) {
				l = s.Muted.Render(lead) + s.Info.Render(l[len(lead):])
			} else {
				l = s.Info.Render(l)
			}
			lines = append(lines, indent+l)
		}
	}
	if (known || m.camp.variant != "") && !tagged && len(m.counts) > 0 {
		hint := "links go out as written: marketing.domains in the config names the site's own domains"
		if m.camp.tagger != nil {
			hint = "no link to " + strings.Join(m.camp.tagger.Domains(), ", ") + " in the text: nothing to tag"
		}
		lines = append(lines, indent+s.Muted.Render(common.Truncate(hint, max(w-labelWidth, 0), "…")))
	}
	return lines
}

// accountText is the text account id's copy is written with: its own, or
// the text for all networks.
func (m *composer) accountText(id int64) (string, bool) {
	if id == m.version && m.version != allNetworks {
		if v := m.text.Value(); v != m.main && strings.TrimSpace(v) != "" {
			return v, true
		}
		return m.main, false
	}
	if own, ok := m.own[id]; ok {
		return own, true
	}
	return m.mainText(), false
}
