package report

import "github.com/graphconform/graphconform/requirement"

// suiteRepository is where the requirement pages live (docs/requirements/<ID>.md).
const suiteRepository = "https://github.com/graphconform/graphconform"

// RequirementPageURL is the page that says what requirement id checks, why and how to fix a
// failure: in the suite's repository at the commit that ran (so the page matches the checks that
// judged), else at main. `graphconform requirements ID` prints the same page offline.
func RequirementPageURL(b Build, id requirement.ID) string {
	ref := b.Commit
	if ref == "" {
		ref = "main"
	}
	return suiteRepository + "/blob/" + ref + "/docs/requirements/" + string(id) + ".md"
}
