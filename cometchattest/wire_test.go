package cometchattest

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWriteJSON_EscapesSlashesWithExactLength(t *testing.T) {
	rec := httptest.NewRecorder()
	writeData(rec, map[string]string{"u": "https://a/b<c>"}, nil)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, `{"data":{"u":"https:\/\/a\/b<c>"}}`, rec.Body.String())
	assert.Equal(t, strconv.Itoa(rec.Body.Len()), rec.Header().Get("Content-Length"))
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
}

func TestWriteJSON_UnencodableValueIs500(t *testing.T) {
	rec := httptest.NewRecorder()
	writeData(rec, func() {}, nil)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), `"code":"ERR_EXCEPTION"`)
}

func TestPageOf(t *testing.T) {
	assert.Equal(t, pagination{Total: 5, Count: 2, PerPage: 2, CurrentPage: 3, TotalPages: 3}, pageOf(5, 2, 2, 3))
	assert.Equal(t, pagination{PerPage: 100, CurrentPage: 1}, pageOf(0, 0, 100, 1))
}
