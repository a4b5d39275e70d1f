// Package benchdata makes the answers the benchmarks decode: users as CometChat returns them with every field
// set, about 1 KiB of nested metadata, tags, and "/" escaped as "\/" as the real server writes it. A 100-user page
// is about 135 KB. Only benchmarks and tests use it.
package benchdata

import (
	"strconv"
	"strings"
)

// User returns user i as JSON: the answer's "data" object. Every user has the same shape and about the same size;
// uids, names, e-mails and timestamps differ.
func User(i int) string {
	var b strings.Builder
	b.Grow(1400)
	writeUser(&b, "user_"+pad(i), i)
	return b.String()
}

// Created returns user i as Users.Create's answer with WithAuthToken: {"data":{...,"authToken":...}}.
func Created(i int) []byte {
	u := User(i)
	return []byte(`{"data":` + u[:len(u)-1] + `,"authToken":"user_` + pad(i) + `_16383540156641d37a023c75d26f4c22a21ff126"}}`)
}

// Got returns user i as Users.Get's answer: {"data":{...}}.
func Got(i int) []byte { return []byte(`{"data":` + User(i) + `}`) }

// Metadata is the metadata every user has, as a Go value: what a Create sends.
func Metadata(uid string) map[string]any {
	return map[string]any{
		"@private": map[string]any{"email": uid + "@example.com", "contactNumber": "+49 30 1234567"},
		"profile": map[string]any{
			"title": "Senior Engineer", "department": "Platform / Infrastructure", "manager": "user_000001",
			"bio":      "Builds distributed systems, likes Go and climbing. Writes at https://blog.example.com/" + uid,
			"links":    []any{"https://github.com/" + uid, "https://linkedin.com/in/" + uid},
			"skills":   []any{"go", "kubernetes", "postgres", "grpc", "terraform"},
			"location": map[string]any{"city": "Berlin", "country": "DE", "tz": "Europe/Berlin", "lat": 52.52, "lng": 13.405},
		},
		"settings":     map[string]any{"theme": "dark", "notifications": map[string]any{"email": true, "push": false, "digest": "weekly", "mentions": true}},
		"stats":        map[string]any{"messages": 19994, "groups": 17, "since": "2019-04-01T10:00:00Z"},
		"integrations": []any{map[string]any{"provider": "salesforce", "id": "003" + uid, "syncedAt": 1729989994}, map[string]any{"provider": "zendesk", "id": "zd-6", "syncedAt": 1729979994}},
	}
}

// Tags returns the tags every user has.
func Tags() []string { return []string{"engineering", "berlin/office", "beta-tester"} }

// Page returns page page (1-based) of a users list of total users, perPage per page, in CometChat's shape:
// {"data":[...],"meta":{"pagination":{...},"cursor":{...}}}. Users are numbered from the newest, so the page holds
// users (page-1)*perPage up to total.
func Page(page, perPage, total int) []byte {
	var b strings.Builder
	first := (page - 1) * perPage
	n := max(0, min(perPage, total-first))
	b.Grow(200 + n*1400)
	b.WriteString(`{"data":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		writeUser(&b, "user_"+pad(first+i), first+i)
	}
	pages := (total + perPage - 1) / perPage
	b.WriteString(`],"meta":{"pagination":{"total":` + strconv.Itoa(total) + `,"count":` + strconv.Itoa(n) +
		`,"per_page":` + strconv.Itoa(perPage) + `,"current_page":` + strconv.Itoa(page) +
		`,"total_pages":` + strconv.Itoa(pages) + `},"cursor":{"updatedAt":1730000000,"affix":"prepend"}}}`)
	return []byte(b.String())
}

// pad writes i with at least 6 digits, so that uids sort and have one length.
func pad(i int) string {
	s := strconv.Itoa(i)
	if len(s) < 6 {
		s = strings.Repeat("0", 6-len(s)) + s
	}
	return s
}

func writeUser(b *strings.Builder, uid string, i int) {
	n := strconv.Itoa(i)
	ts := func(base int) string { return strconv.Itoa(base - i) }
	b.WriteString(`{"uid":"` + uid + `","name":"Bench User ` + n + `",` +
		`"avatar":"https:\/\/assets.example.com\/avatars\/v2\/` + uid + `.webp",` +
		`"link":"https:\/\/example.com\/profiles\/` + uid + `","role":"default",` +
		`"statusMessage":"In a meeting \/ back at 3",` +
		`"metadata":{"@private":{"email":"` + uid + `@example.com","contactNumber":"+49 30 1234567"},` +
		`"profile":{"title":"Senior Engineer","department":"Platform \/ Infrastructure","manager":"user_000001",` +
		`"bio":"Builds distributed systems, likes Go and climbing. Writes at https:\/\/blog.example.com\/` + uid + `",` +
		`"links":["https:\/\/github.com\/` + uid + `","https:\/\/linkedin.com\/in\/` + uid + `"],` +
		`"skills":["go","kubernetes","postgres","grpc","terraform"],` +
		`"location":{"city":"Berlin","country":"DE","tz":"Europe\/Berlin","lat":52.52,"lng":13.405}},` +
		`"settings":{"theme":"dark","notifications":{"email":true,"push":false,"digest":"weekly","mentions":true}},` +
		`"stats":{"messages":` + ts(20000) + `,"groups":17,"since":"2019-04-01T10:00:00Z"},` +
		`"integrations":[{"provider":"salesforce","id":"003` + uid + `","syncedAt":` + ts(1729990000) + `},` +
		`{"provider":"zendesk","id":"zd-` + n + `","syncedAt":` + ts(1729980000) + `}]},` +
		`"status":"offline","tags":["engineering","berlin\/office","beta-tester"],` +
		`"createdAt":` + ts(1700000000) + `,"updatedAt":` + ts(1700100000) + `,"lastActiveAt":` + ts(1729999000) + `,` +
		`"deactivatedAt":0,"conversationId":"` + uid + `_user_user_000001","blockedByMe":false,"hasBlockedMe":false,` +
		`"blockedByMeAt":0,"blockedAt":0}`)
}

// The hand-written baseline's types: what a competent user declares to call the API with net/http and
// encoding/json.
type (
	// HandUser holds the same fields as cometchat.User, metadata as a map, timestamps as Unix seconds.
	HandUser struct {
		UID            string         `json:"uid"`
		Name           string         `json:"name"`
		Avatar         string         `json:"avatar"`
		Link           string         `json:"link"`
		Role           string         `json:"role"`
		StatusMessage  string         `json:"statusMessage"`
		Metadata       map[string]any `json:"metadata"`
		Status         string         `json:"status"`
		Tags           []string       `json:"tags"`
		AuthToken      string         `json:"authToken"`
		CreatedAt      int64          `json:"createdAt"`
		UpdatedAt      int64          `json:"updatedAt"`
		LastActiveAt   int64          `json:"lastActiveAt"`
		DeactivatedAt  int64          `json:"deactivatedAt"`
		ConversationID string         `json:"conversationId"`
		BlockedByMe    bool           `json:"blockedByMe"`
		HasBlockedMe   bool           `json:"hasBlockedMe"`
		BlockedByMeAt  int64          `json:"blockedByMeAt"`
		BlockedAt      int64          `json:"blockedAt"`
	}

	// HandCreate is the body of a create.
	HandCreate struct {
		UID           string         `json:"uid"`
		Name          string         `json:"name"`
		Avatar        string         `json:"avatar,omitempty"`
		Link          string         `json:"link,omitempty"`
		Role          string         `json:"role,omitempty"`
		StatusMessage string         `json:"statusMessage,omitempty"`
		Metadata      map[string]any `json:"metadata,omitempty"`
		Tags          []string       `json:"tags,omitempty"`
		WithAuthToken bool           `json:"withAuthToken,omitempty"`
	}

	// HandPage is a page of the users list.
	HandPage struct {
		Data []*HandUser `json:"data"`
		Meta struct {
			Pagination struct {
				Total       int `json:"total"`
				Count       int `json:"count"`
				PerPage     int `json:"per_page"`
				CurrentPage int `json:"current_page"`
				TotalPages  int `json:"total_pages"`
			} `json:"pagination"`
			Cursor struct {
				UpdatedAt int64  `json:"updatedAt"`
				Affix     string `json:"affix"`
			} `json:"cursor"`
		} `json:"meta"`
	}
)
