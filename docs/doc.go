// Package docs tests the documentation: README.md and docs/*.md. Every YAML block must parse (a
// workflow must also pass actionlint, a graphconform config must load), and the shell blocks marked
// runnable (a line <!-- runnable --> before the fence) run against the embedded mock with the
// built graphconform and must exit as their marker says.
package docs
