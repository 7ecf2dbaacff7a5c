package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// The quarantine for poison messages.
//
// A page whose handling kills the process (out of memory, a crash in
// Tesseract's C code) never returns an error: JetStream just delivers it
// again once its ack deadline passes, and it kills the next process too.
// So Consume writes down, in BucketReturns, what became of every delivery
// of a message before it settles it; a delivery with nothing written never
// came back. Those are the message's deaths.
//
// When a process dies, every message it had in hand dies with it, though
// only one of them was the cause. The rule that keeps the innocent out of
// the quarantine:
//
//   - a message that died before (a suspect) is handled alone: Consume
//     holds the process's handlers off while it runs, and writes down that
//     it began alone before it starts;
//   - a death is certain when the delivery began alone and never came back,
//     or ran past its deadline (the deadline is its own, whatever else ran);
//   - a message is quarantined — its document failed with the reason, the
//     message terminated — once it has died certainly quarantineDeaths times.
//
// A poison page therefore takes three process deaths: the first among the
// crowd, the next two alone; the fourth process fails its document before
// handling it. One certain death is not enough: a process killed from
// outside (an operator's kill -9, a reboot, the OOM killer choosing it for
// another's memory) while a suspect runs alone looks exactly like the
// suspect's own death, and three such kills among 14 files quarantined an
// innocent page. A page that was merely in the crowd, once or many times,
// is handled alone on its next delivery and returns. Only messages of the
// same process are held off: work the process does outside Consume (an
// ingest reading a file) is not, and could still kill a suspect running
// alone.
const quarantineDeaths = 2

// BucketReturns is the key-value bucket that holds, for every message a
// consumer took, what became of each delivery (see the quarantine rule).
// Keys: <stream>.<consumer>.<stream sequence>.
const BucketReturns = "SOHOA_RETURNS"

// What became of one delivery.
const (
	// deliveryAlone: began running alone; replaced by the outcome when it returns.
	deliveryAlone = "alone"
	// deliveryReturned: the handler returned within its deadline (any result).
	deliveryReturned = "returned"
	// deliveryOverdue: the handler was still running at its deadline.
	deliveryOverdue = "overdue"
)

// deliveries maps a delivery number (1-based, JetStream's NumDelivered) to
// what became of it.
type deliveries map[uint64]string

// verdict counts the deaths of a message before its current delivery.
type verdict struct {
	deaths  int // deliveries that never returned in time
	sure    int // of those, deaths that were certainly the message's own
	overdue int // of those, deliveries that ran past their deadline
}

// judge reads the record of the deliveries before delivery number delivered.
// A delivery with no record died; so does one that began alone and never
// came back, certainly.
func judge(delivered uint64, past deliveries) verdict {
	var v verdict
	for n := uint64(1); n < delivered; n++ {
		switch past[n] {
		case deliveryReturned:
		case deliveryOverdue:
			v.deaths, v.sure, v.overdue = v.deaths+1, v.sure+1, v.overdue+1
		case deliveryAlone:
			v.deaths, v.sure = v.deaths+1, v.sure+1
		default:
			v.deaths++
		}
	}
	return v
}

// suspect: the message died before, so it is handled alone.
func (v verdict) suspect() bool { return v.deaths > 0 }

// quarantined: the message is not handled again.
func (v verdict) quarantined() bool { return v.sure >= quarantineDeaths }

// failure is what failing the document of a quarantined message says.
func (v verdict) failure(subject string, deadline time.Duration) error {
	where := ""
	if p := pageOf(subject); p > 0 {
		where = fmt.Sprintf(" (ở trang %d)", p)
	}
	if v.overdue > 0 && v.overdue >= v.sure {
		return Permanent(fmt.Sprintf("Xử lý tệp này%s bị treo: hai lần chạy quá %s mà chưa xong, nên đã dừng lại và chuyển tệp vào failed/ để các tệp khác tiếp tục được xử lý.\n"+
			"Cách xử lý: hãy quét lại văn bản (hoặc chép lại tệp từ máy quét) rồi thả lại vào thư mục inbox. "+
			"Nếu tệp mới vẫn bị như vậy, đừng thả lại nữa: hãy gửi tệp này cho bộ phận CNTT.", where, VietDuration(deadline)),
			fmt.Errorf("pipeline: %s: %d deliveries did not come back, %d of them ran past the deadline of %v", subject, v.deaths, v.overdue, deadline))
	}
	return Permanent(fmt.Sprintf("Tệp này%s đã làm dịch vụ sohoa dừng đột ngột hai lần khi xử lý, nên đã được cách ly và chuyển vào failed/ để các tệp khác tiếp tục được xử lý.\n"+
		"Cách xử lý: hãy quét lại văn bản (hoặc chép lại tệp từ máy quét) rồi thả lại vào thư mục inbox. "+
		"Nếu tệp mới vẫn bị như vậy, đừng thả lại nữa: hãy gửi tệp này cho bộ phận CNTT.", where),
		fmt.Errorf("pipeline: %s: %d deliveries never came back (the process died), %d of them while handled alone", subject, v.deaths, v.sure))
}

// VietDuration writes d for a clerk: "15 phút", "30 giây".
func VietDuration(d time.Duration) string {
	if d >= time.Minute {
		return fmt.Sprintf("%d phút", int(d.Round(time.Minute)/time.Minute))
	}
	return fmt.Sprintf("%d giây", max(int(d.Round(time.Second)/time.Second), 1))
}

// pageOf returns the page number of a page subject, or 0.
func pageOf(subject string) int {
	t := strings.Split(subject, ".")
	if len(t) != 4 || t[0]+"."+t[1] != subjectPages {
		return 0
	}
	n, _ := strconv.Atoi(t[3])
	return n
}

// returnsKey is the key of a message's record in BucketReturns.
func returnsKey(meta *jetstream.MsgMetadata) string {
	return fmt.Sprintf("%s.%s.%d", SafeToken(meta.Stream), SafeToken(meta.Consumer), meta.Sequence.Stream)
}

// deliveries reads the record of a message; none is an empty record.
func (q *Queue) deliveries(ctx context.Context, key string) (deliveries, uint64, error) {
	e, err := q.returns.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return deliveries{}, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("pipeline: deliveries %s: %w", key, err)
	}
	d := deliveries{}
	if err := json.Unmarshal(e.Value(), &d); err != nil {
		return nil, 0, fmt.Errorf("pipeline: deliveries %s: %w", key, err)
	}
	return d, e.Revision(), nil
}

// note records what became of delivery n of the message at key. Two
// deliveries of one message may note at once (one ran past its deadline
// and was delivered again), so it updates by revision.
func (q *Queue) note(ctx context.Context, key string, n uint64, what string) error {
	for range 10 {
		d, rev, err := q.deliveries(ctx, key)
		if err != nil {
			return err
		}
		d[n] = what
		data, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("pipeline: %w", err)
		}
		if rev == 0 {
			_, err = q.returns.Create(ctx, key, data)
		} else {
			_, err = q.returns.Update(ctx, key, data, rev)
		}
		if err == nil {
			return nil
		}
		var apiErr *jetstream.APIError
		if !errors.Is(err, jetstream.ErrKeyExists) && (!errors.As(err, &apiErr) || apiErr.ErrorCode != jetstream.JSErrCodeStreamWrongLastSequence) {
			return fmt.Errorf("pipeline: deliveries %s: %w", key, err)
		}
	}
	return fmt.Errorf("pipeline: deliveries %s: too many concurrent updates", key)
}
