// Package sonobuoy holds graphconform's Sonobuoy plugin definition (graphconform-plugin.yaml); its
// image is the sonobuoy stage of deploy/container/Dockerfile. docs/scale.md says how to use them. The package embeds the definition so
// its tests can check it without a cluster.
package sonobuoy

import _ "embed"

// PluginYAML is graphconform-plugin.yaml.
//
//go:embed graphconform-plugin.yaml
var PluginYAML []byte
