package rapport_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// BenchmarkLifecycleStep measures one conversation lifecycle step through
// its handle (Conversations.Assign: read the conversation and its latest
// step to check the Act's time, apply, validate, write the conversation and
// the lifecycle interaction, in one transaction), against baselines in the
// same run: reading the conversation (Book.Conversation), and a bare
// read-modify-write of it in one transaction with no step check and no
// lifecycle record. The conversation's timeline grows by one step per
// iteration, as it would in use.
func BenchmarkLifecycleStep(b *testing.B) {
	ctx := context.Background()
	open := map[string]func(b *testing.B) storage.Backend{
		"memstore": func(*testing.B) storage.Backend { return memstore.New(nil) },
		"sqlitestore": func(b *testing.B) storage.Backend {
			s, err := sqlitestore.Open(ctx, filepath.Join(b.TempDir(), "book.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	for _, name := range []string{"memstore", "sqlitestore"} {
		b.Run(name, func(b *testing.B) {
			backend := open[name](b)
			defer backend.Close()
			f := &fixture{backend: backend, now: time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)}
			book, err := rapport.New(backend, "group-1", &rapport.Options{Now: f.clock, NewID: f.newID})
			if err != nil {
				b.Fatal(err)
			}
			f.book = book
			in, err := f.book.Receive(ctx, rapport.Inbound{From: addr(b, "tel:+12125550123"), Rooftop: "downtown", Body: "Hello"})
			if err != nil {
				b.Fatal(err)
			}
			id := in.Conversation.ID
			b.Run("baseline=Book.Conversation", func(b *testing.B) {
				for b.Loop() {
					if _, err := f.book.Conversation(ctx, id); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("baseline=read-modify-write", func(b *testing.B) {
				for b.Loop() {
					err := f.backend.Update(ctx, func(tx storage.Tx) error {
						c, err := tx.GetConversation(ctx, "group-1", id)
						if err != nil {
							return err
						}
						c.UpdatedAt = f.advance(time.Second)
						_, err = tx.UpdateConversation(ctx, c)
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("rapport=Conversations.Assign", func(b *testing.B) {
				staff := []dealer.Staff{"sam", "lee"}
				n := 0
				for b.Loop() {
					f.advance(time.Second)
					n++
					if _, err := f.book.Conversations().Assign(ctx, id, staff[n%2], "sales", rapport.Act{By: "mia.manager"}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
