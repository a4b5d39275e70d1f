package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRunRejectsBadFlags(t *testing.T) {
	assert.ErrorContains(t, run([]string{"-addr", "127.0.0.1:0", "-app-id", "bad id"}), "WithAppID")
	assert.Error(t, run([]string{"-no-such-flag"}))
	assert.Error(t, run([]string{"-addr", "not an address"}))
}
