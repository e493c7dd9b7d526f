package graphgen

import "strings"

// Permissions is the devx-content permissions.json for the generated paths. Per root: Read.All and
// ReadWrite.All least privileged, a broad Configuration.ReadWrite.All listed but never least (the
// PERM-005 shape of the real disconnect data); employeeExperience also supports personal accounts.
func (g *Graph) Permissions() map[string]any {
	perms := map[string]any{}
	type pathSet struct {
		SchemeKeys []string          `json:"schemeKeys"`
		Methods    []string          `json:"methods"`
		Paths      map[string]string `json:"paths"`
	}
	add := func(perm string, schemes, methods []string, path, value string) {
		p, ok := perms[perm].(map[string]any)
		if !ok {
			p = map[string]any{"authorizationType": "oAuth2", "schemes": map[string]any{}, "pathSets": []*pathSet{}}
			perms[perm] = p
		}
		sets := p["pathSets"].([]*pathSet)
		for _, ps := range sets {
			if strings.Join(ps.Methods, ",") == strings.Join(methods, ",") && strings.Join(ps.SchemeKeys, ",") == strings.Join(schemes, ",") {
				ps.Paths[strings.ToLower(path)] = value
				return
			}
		}
		p["pathSets"] = append(sets, &pathSet{schemes, methods, map[string]string{strings.ToLower(path): value}})
	}
	for i, s := range g.Sets {
		area := upperFirst(s.Root)
		if i == 0 {
			area = "DeviceManagementServiceConfig" // the real names of the real set
		}
		schemes := []string{"DelegatedWork", "Application"}
		if s.Root == "employeeExperience" {
			schemes = []string{"DelegatedPersonal", "DelegatedWork", "Application"}
		}
		least := "least=" + strings.Join(schemes, ",")
		item := strings.ReplaceAll(s.Item(), "{"+s.Type+"-id}", "{id}")
		for _, p := range []string{s.Collection(), item, s.Collection() + "/$count"} {
			add(area+".Read.All", schemes, []string{"GET"}, p, least)
		}
		add(area+".ReadWrite.All", schemes, []string{"GET", "POST"}, s.Collection(), least)
		add(area+".ReadWrite.All", schemes, []string{"DELETE", "GET", "PATCH"}, item, least)
		add("DeviceManagementConfiguration.ReadWrite.All", schemes, []string{"DELETE", "GET", "PATCH"}, item, "")
		for _, a := range s.Actions {
			add(area+".ReadWrite.All", schemes, []string{"POST"}, item+"/"+a.Name, least)
			add("DeviceManagementConfiguration.ReadWrite.All", schemes, []string{"POST"}, item+"/"+a.Name, "")
		}
	}
	return map[string]any{"$schema": "https://raw.githubusercontent.com/microsoftgraph/kibali/main/specs/permissions-schema.json", "permissions": perms}
}
