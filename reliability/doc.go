// Package reliability holds graphconform's black-box end-to-end tests: they build the graphconform
// binary once and run it against misbehaving targets (package faults serves them on 127.0.0.1), bad
// configuration and descriptions, and targets that leak credentials, and check that every run ends
// within a bound with a clear verdict or a one-line error, and that no secret is ever written.
//
// The package has no code of its own; see the _test.go files and package faults.
package reliability
