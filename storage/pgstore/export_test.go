package pgstore

// Schema version this package knows, for tests.
func KnownVersion() int {
	files, err := migrationFiles()
	if err != nil {
		panic(err)
	}
	return len(files)
}
