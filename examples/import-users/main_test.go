package main

import (
	"bytes"
	"context"
	"testing"
)

func TestRun(t *testing.T) {
	t.Setenv("COMETCHAT_APP_ID", "")
	t.Setenv("COMETCHAT_REGION", "")
	t.Setenv("COMETCHAT_API_KEY", "")
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"users[41] example-042: invalid, not sent: cometchat: invalid avatar",
		"users[99] EXAMPLE-008: invalid, not sent: cometchat: invalid uid: repeats the uid of users[7]",
		"chunk at 200: 40/40 done, 0 failed",
		"imported 238 of 240 users, 2 did not land",
	} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
