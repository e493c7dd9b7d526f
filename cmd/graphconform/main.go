// Command graphconform is the Microsoft Graph conformance suite; everything it does lives in package
// runner. Install it with
//
//	go install github.com/graphconform/graphconform/cmd/graphconform@latest
package main

import (
	"os"

	"github.com/graphconform/graphconform/runner"
)

func main() {
	os.Exit(runner.Main(os.Args[1:], os.Stdout, os.Stderr))
}
