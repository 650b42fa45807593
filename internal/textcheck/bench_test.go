package textcheck_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/internal/textcheck"
)

func benchInteraction() interaction.Interaction {
	return interaction.Interaction{
		Tenant: "group-1", Rooftop: "north", Channel: channel.KindSMS, Direction: interaction.DirectionOutbound,
		Kind: interaction.KindMessage, Authorship: interaction.AuthorshipHuman,
		Subject:      "Your service appointment",
		Body:         strings.Repeat("Hi Jane, your CX-5 is ready for pickup. ", 8),
		Participants: []interaction.Participant{{Staff: "sam", Role: interaction.RoleSalesperson}},
		ExternalRefs: map[string]string{"twilio": "SM0123456789abcdef"},
		Attributes:   map[string]string{"campaign": "fall-service", "source": "dms"},
	}
}

// BenchmarkWalk measures the check every write pays (Validate and the
// backends' storage.CheckText) on a clean interaction, against a baseline
// that checks the same strings by hand.
func BenchmarkWalk(b *testing.B) {
	i := benchInteraction()
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ok := true
			for _, s := range []string{string(i.Tenant), string(i.Rooftop), string(i.Channel), string(i.Direction), string(i.Kind),
				string(i.Authorship), i.Subject, i.Body, string(i.Participants[0].Staff), string(i.Participants[0].Role)} {
				ok = ok && utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
			}
			for k, v := range i.ExternalRefs {
				ok = ok && utf8.ValidString(k) && utf8.ValidString(v)
			}
			for k, v := range i.Attributes {
				ok = ok && utf8.ValidString(k) && utf8.ValidString(v)
			}
			if !ok {
				b.Fatal("dirty")
			}
		}
	})
	b.Run("walk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			textcheck.Walk(&i, func(string, string) { b.Fatal("dirty") })
		}
	})
}
