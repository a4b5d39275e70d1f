package userimport

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReaders: whatever the input, the readers never panic, return a record (or an error for a bad CSV header)
// for every row, and yield exactly as many records as countRecords counts, which is what makes the progress
// total and the summary's rows add up.
func FuzzReaders(f *testing.F) {
	f.Add([]byte("uid,name\nada,Ada\n\"multi\nline\",x\nbad,\"open\n"), true)
	f.Add([]byte("\uFEFFName,UID,createdat,status\nAda,ada,2020-01-02T03:04:05Z,offline\n"), true)
	f.Add([]byte(`{"uid":"a","name":"A","tags":"x|y","metadata":"{\"k\":1}"}`+"\n\n[1]\n{"), false)
	f.Add([]byte(`{"uid":12345,"name":"N","createdAt":"1600000000"}`), false)
	f.Fuzz(func(t *testing.T, in []byte, csv bool) {
		format := "jsonl"
		if csv {
			format = "csv"
		}
		want, err := countRecords(format, bytes.NewReader(in))
		if err != nil {
			t.Skip() // only readers' I/O errors, which a bytes.Reader has none of
		}
		r, err := newReader(format, bytes.NewReader(in))
		if err != nil {
			return // a CSV without a usable header: the run stops before counting matters
		}
		got := 0
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if rec.Err == nil && rec.User == nil {
				t.Fatalf("line %d: neither a user nor an error", rec.Line)
			}
			if rec.User != nil {
				_ = rec.User.Validate()
			}
			got++
		}
		if got != want {
			t.Fatalf("%s: the reader yields %d records, countRecords says %d", format, got, want)
		}
	})
}
