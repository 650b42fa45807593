//go:build ignore

// generate writes the schema files from the Go types: go generate ./schema.
package main

import (
	"log"
	"os"

	"github.com/rapportcim/rapport/internal/schemagen"
)

func main() {
	files, err := schemagen.Files()
	if err != nil {
		log.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
