package userimport

// Synthetic users, to try an import or measure one ("cometchat users generate").

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Generate writes n valid users in format ("csv" or "jsonl") to w, streamed: uids gen-0000001..., with an
// avatar, metadata, tags and both timestamps (createdAt as Unix seconds, lastActiveAt as RFC 3339, to exercise
// both forms the input accepts).
func Generate(w io.Writer, format string, n int) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	base := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	user := func(i int) []string {
		uid := fmt.Sprintf("gen-%07d", i)
		return []string{
			uid,
			"Generated User " + strconv.Itoa(i),
			"https://example.com/avatars/" + uid + ".png",
			"",
			"",
			"",
			`{"plan":"free","seq":` + strconv.Itoa(i) + `}`,
			"generated|bench",
			strconv.FormatInt(base+int64(i), 10),
			time.Unix(base+int64(i)+86_400, 0).UTC().Format(time.RFC3339),
		}
	}
	switch format {
	case "csv":
		cw := csv.NewWriter(bw)
		if err := cw.Write(Columns); err != nil {
			return err
		}
		for i := 1; i <= n; i++ {
			if err := cw.Write(user(i)); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	case "jsonl":
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		for i := 1; i <= n; i++ {
			f := user(i)
			obj := map[string]any{
				"uid": f[0], "name": f[1], "avatar": f[2], "metadata": json.RawMessage(f[6]),
				"tags": []string{"generated", "bench"}, "createdAt": json.Number(f[8]), "lastActiveAt": f[9],
			}
			if err := enc.Encode(obj); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("unknown format %q", format)
	}
	return bw.Flush()
}
