package cometchat

// Exports for the external tests of Users.Import (package cometchat_test,
// which can import cometchattest): the fake clock of import_test.go.

// ImpClock is the fake clock of the import tests: time moves only when the
// SDK sleeps.
type ImpClock = impClock

// NewImpClock returns a fake clock at impEpoch.
func NewImpClock() *ImpClock { return newImpClock() }

// Install makes c the clock of client's retries and import pacing.
func (c *impClock) Install(client *Client) { c.install(client) }
