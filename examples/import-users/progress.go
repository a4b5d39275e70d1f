package main

// Progress display: on a terminal a bar redrawn in place with the rate and
// an ETA; otherwise (a log file, CI) a plain line now and then. Progress is
// measured in input bytes, since a streamed input's user count is not known
// until its end; the ETA is unknown for stdin.

import (
	"fmt"
	"io"
	"strings"
	"time"
)

type progress struct {
	w        io.Writer
	tty      bool
	now      func() time.Time
	interval time.Duration // between two renders
	size     int64         // of the input in bytes; 0: unknown
	label    string        // what is counted, e.g. "users" or "checked"

	start, last time.Time
	users       int   // processed: landed, failed or invalid
	failed      int   // failed or invalid
	offset      int64 // input bytes behind the users processed
	drawn       bool  // a bar is on screen (tty)
}

func newProgress(w io.Writer, tty bool, now func() time.Time, size int64) *progress {
	p := &progress{w: w, tty: tty, now: now, size: size, label: "users", interval: 10 * time.Second}
	if tty {
		p.interval = 200 * time.Millisecond
	}
	p.start = now()
	p.last = p.start
	return p
}

// update records the progress and renders it when the interval has passed.
func (p *progress) update(users, failed int, offset int64) {
	if p == nil {
		return
	}
	p.users, p.failed, p.offset = users, failed, offset
	if t := p.now(); t.Sub(p.last) >= p.interval {
		p.last = t
		p.render()
	}
}

// done renders the final state and ends the bar's line.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.render()
	if p.tty && p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// clear removes the bar so that a message can be printed; the next update
// draws it again.
func (p *progress) clear() {
	if p != nil && p.tty && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[2K")
		p.drawn = false
	}
}

func (p *progress) render() {
	elapsed := p.now().Sub(p.start)
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.users) / elapsed.Seconds()
	}
	frac, eta := -1.0, time.Duration(-1)
	if p.size > 0 {
		frac = min(float64(p.offset)/float64(p.size), 1)
		if frac > 0 {
			eta = time.Duration(float64(elapsed) * (1 - frac) / frac)
		}
	}
	if !p.tty {
		var b strings.Builder
		fmt.Fprintf(&b, "progress: %s %s", thousands(p.users), p.label)
		if frac >= 0 {
			fmt.Fprintf(&b, " (%.1f%% of the input)", 100*frac)
		}
		fmt.Fprintf(&b, ", %s/s, %s problems", thousands(int(rate+0.5)), thousands(p.failed))
		if eta >= 0 {
			fmt.Fprintf(&b, ", ETA %s", clock(eta))
		}
		fmt.Fprintln(p.w, b.String())
		return
	}
	const width = 30
	bar := strings.Repeat("░", width)
	pct := "   ?  "
	if frac >= 0 {
		n := int(frac * width)
		bar = strings.Repeat("█", n) + strings.Repeat("░", width-n)
		pct = fmt.Sprintf("%5.1f%%", 100*frac)
	}
	etaText := "--:--"
	if eta >= 0 {
		etaText = clock(eta)
	}
	fmt.Fprintf(p.w, "\r\x1b[2K%s %s  %s %s  %s/s  ETA %s  %s problems",
		bar, pct, thousands(p.users), p.label, thousands(int(rate+0.5)), etaText, thousands(p.failed))
	p.drawn = true
}

// thousands formats n with thousands separators: 12,345.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// clock formats d as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}
