package cometchat

import (
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersion_IsSemverAndSentInTheUserAgent(t *testing.T) {
	assert.Regexp(t, regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`), Version)
	m := newMock(t)
	m.on("GET", "/users/ada").Reply(200).BodyString(data(userGeorge))
	_, err := m.Users.Get(context.Background(), "ada")
	require.NoError(t, err)
	assert.Contains(t, m.last(t).Header.Get("User-Agent"), "cometchat-go/"+Version+" (")
}
