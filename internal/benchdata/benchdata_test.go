package benchdata

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnswersAreValidJSONOfTheAdvertisedShape(t *testing.T) {
	var u map[string]any
	require.NoError(t, json.Unmarshal([]byte(User(7)), &u))
	assert.Equal(t, "user_"+pad(7), u["uid"])
	meta, err := json.Marshal(u["metadata"])
	require.NoError(t, err)
	assert.Greater(t, len(meta), 700, "about 1 KiB of metadata")
	assert.Contains(t, User(7), `\/`, "slashes escaped as the real server writes them")

	var created struct {
		Data map[string]any `json:"data"`
	}
	require.NoError(t, json.Unmarshal(Created(3), &created))
	assert.True(t, strings.HasPrefix(created.Data["authToken"].(string), "user_"+pad(3)+"_"))
	var got struct {
		Data map[string]any `json:"data"`
	}
	require.NoError(t, json.Unmarshal(Got(3), &got))
	assert.Equal(t, "user_"+pad(3), got.Data["uid"])
}

func TestPage_IsAUsersListAnswer(t *testing.T) {
	var p struct {
		Data []map[string]any `json:"data"`
		Meta struct {
			Pagination struct {
				Total int `json:"total"`
			} `json:"pagination"`
		} `json:"meta"`
	}
	body := Page(2, 100, 250)
	require.NoError(t, json.Unmarshal(body, &p))
	assert.Len(t, p.Data, 100)
	assert.Equal(t, 250, p.Meta.Pagination.Total)
	assert.Greater(t, len(body), 90_000, "a realistic page of 90–140 KB")
	assert.Less(t, len(body), 140_000)
	assert.NotNil(t, Metadata("x"))
	assert.Len(t, Tags(), 3)
}
