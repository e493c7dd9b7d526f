package contract

import (
	"fmt"
	"sort"
	"strings"
)

// Account is the kind of identity a token stands for, as the Graph permission tables name them.
type Account string

const (
	// Work is a delegated token of a work or school account (Entra ID): permissions in `scp`.
	Work Account = "work"
	// Personal is a delegated token of a personal Microsoft account (MSA).
	Personal Account = "personal"
	// Application is an app-only token: permissions in `roles`, `idtyp: app`.
	Application Account = "application"
)

// Accounts lists the account kinds in the order the Graph permission table lists them.
var Accounts = []Account{Work, Personal, Application}

// ParseAccount checks an account name from a config or a description.
func ParseAccount(s string) (Account, error) {
	for _, a := range Accounts {
		if string(a) == s {
			return a, nil
		}
	}
	return "", fmt.Errorf("unknown account kind %q (want one of work, personal, application)", s)
}

// Grant is one permission that lets an account kind call the operation.
type Grant struct {
	Permission string `json:"permission"`
	// Documented is true when the reference page lists the permission; false when only Microsoft's
	// permissions metadata does (then accepting it is a MAY, PERM-005).
	Documented bool `json:"documented"`
	// Source says where the grant is written.
	Source string `json:"source,omitempty"`
}

// Scheme is one row of the permission table.
type Scheme struct {
	// Supported is false for "Not supported." rows.
	Supported bool    `json:"supported"`
	Grants    []Grant `json:"grants,omitempty"`
}

// Permissions is the permission table of one revision of the reference page.
type Permissions struct {
	// Revision names the doc revision, e.g. "current" or "pre-2021".
	Revision string `json:"revision"`
	// Source says which doc revision the table was read from.
	Source string `json:"source,omitempty"`
	// Schemes has one entry per account kind; a missing kind is not supported.
	Schemes map[Account]Scheme `json:"schemes"`
}

// Outcome is what the contract says should happen to a persona.
type Outcome string

const (
	// Allowed: the persona holds a documented grant.
	Allowed Outcome = "allowed"
	// AllowedByMetadata: the persona holds only a grant that the permissions metadata lists.
	AllowedByMetadata Outcome = "allowed-by-metadata"
	// Unsupported: the account kind is "Not supported." for this operation.
	Unsupported Outcome = "unsupported"
	// Insufficient: the account kind is supported but the persona holds no accepted permission.
	Insufficient Outcome = "insufficient"
)

// Decision is the contract's expectation for one persona.
type Decision struct {
	Outcome Outcome
	// Grant is the permission that allows the call, for Allowed and AllowedByMetadata.
	Grant Grant
	// Reason explains the decision in one sentence, for spec texts and failure messages.
	Reason string
}

// Decide says what the contract expects for an account kind holding the given permissions.
// Permission names compare case-insensitively, as Entra ID treats them.
func (p Permissions) Decide(acc Account, held []string) Decision {
	s, ok := p.Schemes[acc]
	if !ok || !s.Supported {
		return Decision{Outcome: Unsupported,
			Reason: fmt.Sprintf("%s accounts are not supported (revision %s)", acc, p.Revision)}
	}
	var meta *Grant
	for _, g := range s.Grants {
		for _, h := range held {
			if !strings.EqualFold(g.Permission, h) {
				continue
			}
			if g.Documented {
				return Decision{Outcome: Allowed, Grant: g,
					Reason: fmt.Sprintf("%s holds %s, accepted for %s accounts (revision %s)", acc, g.Permission, acc, p.Revision)}
			}
			if meta == nil {
				g := g
				meta = &g
			}
		}
	}
	if meta != nil {
		return Decision{Outcome: AllowedByMetadata, Grant: *meta,
			Reason: fmt.Sprintf("%s holds %s, accepted by Microsoft's permissions metadata only", acc, meta.Permission)}
	}
	return Decision{Outcome: Insufficient,
		Reason: fmt.Sprintf("none of [%s] is accepted for %s accounts (accepted: %s; revision %s)",
			strings.Join(held, ", "), acc, strings.Join(s.Names(), ", "), p.Revision)}
}

// Names lists the scheme's permission names, sorted.
func (s Scheme) Names() []string {
	out := make([]string, 0, len(s.Grants))
	for _, g := range s.Grants {
		out = append(out, g.Permission)
	}
	sort.Strings(out)
	return out
}
