//go:build race

package customer_test

// raceEnabled is true under the race detector, which makes the accuracy
// corpus ten times slower: the test then runs a smaller corpus.
const raceEnabled = true
