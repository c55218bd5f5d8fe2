package main

import (
	"log"
	"os"

	"github.com/crier-app/crier/analytics/plausible"
	"github.com/crier-app/crier/analytics/utm"
	"github.com/crier-app/crier/config"
	"github.com/crier-app/crier/scheduler"
)

// marketingTagger tags the links to the business's own domains
// (marketing.domains) in a campaign's posts; nil when there are none.
func marketingTagger(cfg *config.Config, logger *log.Logger) *utm.Tagger {
	if len(cfg.Marketing.Domains) == 0 {
		return nil
	}
	t, err := utm.NewTagger(cfg.Marketing.Domains)
	if err != nil { // config.Load checked them: never, but never silently
		logger.Printf("marketing.domains: %v; no link is tagged", err)
		return nil
	}
	return t
}

// checkPlausible reads Plausible's API key when a site is configured, so
// a key that cannot be read stops crier at the start with the setting
// named, as an account's credential does.
func checkPlausible(cfg *config.Config) error {
	if !cfg.Marketing.Plausible.Enabled() {
		return nil
	}
	_, err := cfg.Marketing.Plausible.Secret(os.Getenv)
	return err
}

// plausibleSync is the Plausible site the scheduler's sync reads, or nil.
func plausibleSync(cfg *config.Config, logger *log.Logger) *scheduler.PlausibleSync {
	p := cfg.Marketing.Plausible
	if !p.Enabled() {
		return nil
	}
	key, err := p.Secret(os.Getenv)
	if err != nil {
		logger.Printf("%v; Plausible is not read", err)
		return nil
	}
	return &scheduler.PlausibleSync{
		Client: &plausible.Client{BaseURL: p.BaseURL, Token: key, UserAgent: "crier"},
		Site:   plausible.Site{ID: p.SiteID, Goals: p.Goals},
		Every:  p.Interval,
		Days:   p.Days,
		Zone:   cfg.Timezone,
	}
}
