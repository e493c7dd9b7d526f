// Package sonobuoy holds graphconform's Sonobuoy plugin definition (graphconform-plugin.yaml) and the
// Dockerfile of its image; docs/scale.md says how to use them. The package embeds the definition so
// its tests can check it without a cluster.
package sonobuoy

import _ "embed"

// PluginYAML is graphconform-plugin.yaml.
//
//go:embed graphconform-plugin.yaml
var PluginYAML []byte
