package interaction_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/interaction"
)

// Provider callbacks arrive late and out of order: Apply takes each as it
// comes.
func ExampleDelivery_Apply() {
	at := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	var d interaction.Delivery
	for i, u := range []interaction.DeliveryUpdate{
		{Status: interaction.StatusQueued, At: at},
		{Status: interaction.StatusSent, At: at.Add(1 * time.Second)},
		{Status: interaction.StatusRead, At: at.Add(90 * time.Second)},
		{Status: interaction.StatusDelivered, At: at.Add(3 * time.Second)}, // late: ignored
	} {
		next, err := d.Apply(u)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d. %-9s → %s at %s (attempts %d)\n", i+1, u.Status, next.Status, next.At.Format(time.TimeOnly), next.Attempts)
		d = next
	}
	// Moving a read message back to the queue is a bug, not a late report.
	_, err := d.Apply(interaction.DeliveryUpdate{Status: interaction.StatusQueued, At: at})
	fmt.Println(errors.Is(err, interaction.ErrInvalidTransition), err)
	// Output:
	// 1. queued    → queued at 15:00:00 (attempts 1)
	// 2. sent      → sent at 15:00:01 (attempts 1)
	// 3. read      → read at 15:01:30 (attempts 1)
	// 4. delivered → read at 15:01:30 (attempts 1)
	// true interaction: delivery: read to queued: invalid status transition
}

// A retryable error: the message is queued again and the attempt counted.
func ExampleDelivery_Apply_retry() {
	at := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	d := interaction.Delivery{Status: interaction.StatusSent, At: at, Attempts: 1}
	d, _ = d.Apply(interaction.DeliveryUpdate{Status: interaction.StatusErrored, At: at.Add(time.Second), Reason: "provider timeout", ErrorCode: "20429"})
	fmt.Printf("%s: %s (%s)\n", d.Status, d.Reason, d.ErrorCode)
	d, _ = d.Apply(interaction.DeliveryUpdate{Status: interaction.StatusQueued, At: at.Add(time.Minute)})
	fmt.Printf("%s, attempt %d\n", d.Status, d.Attempts)
	d, _ = d.Apply(interaction.DeliveryUpdate{Status: interaction.StatusFailed, At: at.Add(2 * time.Minute), Reason: "unknown subscriber", ErrorCode: "30005"})
	fmt.Printf("%s: %s (%s), terminal: %t\n", d.Status, d.Reason, d.ErrorCode, d.Status.Terminal())
	// Output:
	// errored: provider timeout (20429)
	// queued, attempt 2
	// failed: unknown subscriber (30005), terminal: true
}

func ExampleCommitment_Overdue() {
	due := time.Date(2025, 3, 14, 17, 0, 0, 0, time.UTC) // "by 5 pm"
	c := interaction.Commitment{
		What:   "Call back with the trade-in number",
		Owner:  "sam.sales",
		Due:    due,
		Status: interaction.CommitmentStatusOpen,
	}
	fmt.Println("4:59 pm:", c.Overdue(due.Add(-time.Minute)))
	fmt.Println("5:00 pm:", c.Overdue(due))
	fmt.Println("5:01 pm:", c.Overdue(due.Add(time.Minute)))
	c.Status, c.DoneAt = interaction.CommitmentStatusDone, due.Add(2*time.Minute)
	fmt.Println("done at 5:02 pm, asked at 6 pm:", c.Overdue(due.Add(time.Hour)))
	// Output:
	// 4:59 pm: false
	// 5:00 pm: false
	// 5:01 pm: true
	// done at 5:02 pm, asked at 6 pm: false
}

// Validate reports every problem at once, each naming its field.
func ExampleInteraction_Validate() {
	addr, err := channel.ParseAddress("mailto:jane.doe@example.com")
	if err != nil {
		log.Fatal(err)
	}
	i := interaction.Interaction{
		Tenant:    "acme-auto-group",
		Channel:   channel.KindSMS, // but the address is an email address
		Address:   addr,
		Direction: interaction.DirectionOutbound,
		Kind:      interaction.KindMessage,
		Body:      "Your car is ready",
		Call:      &interaction.Call{Outcome: interaction.CallOutcomeAnswered},
	}
	err = i.Validate()
	fmt.Println("missing something:", errors.Is(err, interaction.ErrMissing))
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ve *interaction.ValidationError
		if errors.As(e, &ve) {
			fmt.Printf("%s: %v\n", ve.Field, ve.Err)
		}
	}
	// Output:
	// missing something: true
	// address: values disagree: a mailto: address cannot carry channel sms
	// occurred_at: required value missing
	// call: value does not apply: kind is message
}

// Values written by a newer version of rapport are kept, not dropped.
func ExampleParseKind() {
	for _, s := range []string{"Social_Mention", "video_tour", "not a kind"} {
		k, err := interaction.ParseKind(s)
		fmt.Printf("%q known=%t err=%v\n", k, k.Known(), err)
	}
	// Output:
	// "social_mention" known=true err=<nil>
	// "video_tour" known=false err=<nil>
	// "" known=false err=interaction: kind: invalid value: not a lower-case token of letters, digits, '_' and '-' of at most 32 bytes
}
