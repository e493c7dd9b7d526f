package config

import "fmt"

// target.fixtureIssuer: true says the target trusts the suite's fixture token issuer, as the config
// graphconform mock prints says of the mock. The suite can then mint any persona, so each
// operation's cases use the personas its own permission table calls for (persona.ForContract:
// each documented grant x account kind, one insufficient, one per unsupported kind), derived from
// the file's personas (or the fixture personas when it lists none), and the AUTH-001 probes only
// that issuer can sign (expired, other audience, ...) are minted too. A persona with its own token
// or client credentials cannot be derived from: the target would not trust its minted siblings.
func (f *File) validateFixtureIssuer() error {
	if !f.Target.FixtureIssuer {
		return nil
	}
	for i, p := range f.Personas {
		if !p.Mint {
			return f.errorf(fmt.Sprintf("personas[%d]", i), "persona %q is not mint: true; with target.fixtureIssuer every persona is minted by the fixture issuer (drop token: or clientCredentials:, or drop fixtureIssuer)", p.Name)
		}
	}
	return nil
}
