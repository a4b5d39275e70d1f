// Command quickstart tours the user lifecycle with the CometChat Go SDK:
// create a user with an auth token, read, update, list, page, rotate auth
// tokens, give a user a role, befriend and block, deactivate, reactivate and
// delete, and the error story.
//
// With no environment it runs against an embedded cometchattest server, so
// it needs no account and no network:
//
//	go run ./examples/quickstart
//
// With COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY set it runs
// the same steps against your CometChat app, using uids with a unique
// "quickstart-" prefix (and a role of that prefix) that it deletes again at
// the end. It exits non-zero on any failure.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart failed:", err)
		os.Exit(1)
	}
}

// tour holds what the steps share.
type tour struct {
	client  *cometchat.Client
	prefix  string   // every uid and role id starts with it
	created []string // uids to delete at the end
	roles   []string // role ids to delete at the end, after the users
	step    int
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t, cleanup, err := newTour()
	if err != nil {
		return err
	}
	defer cleanup()
	defer t.deleteLeftovers(ctx)

	steps := []func(context.Context) error{
		t.createWithToken, t.read, t.update, t.listWithFilter, t.pageThroughAll,
		t.rotateTokens, t.rolesFriendsAndBlocks, t.deactivateAndReactivate, t.deletePermanently, t.handleNotFound,
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	fmt.Println("\nDone: every step passed.")
	return nil
}

// newTour picks the server: real CometChat when the environment names an
// app, an embedded cometchattest server otherwise.
func newTour() (*tour, func(), error) {
	appID, region, key := os.Getenv("COMETCHAT_APP_ID"), os.Getenv("COMETCHAT_REGION"), os.Getenv("COMETCHAT_API_KEY")
	prefix := "quickstart-" + strconv.FormatInt(time.Now().Unix(), 36) + "-"
	ua := cometchat.WithUserAgent("cometchat-quickstart")
	if appID != "" || region != "" || key != "" {
		client, err := cometchat.NewClient(appID, region, key, ua)
		if err != nil {
			return nil, nil, fmt.Errorf("COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY must all be set and valid: %w", err)
		}
		fmt.Printf("CometChat Go SDK quickstart, against app %s in region %s (uids start with %q).\n", appID, region, prefix)
		return &tour{client: client, prefix: prefix}, func() {}, nil
	}
	srv := cometchattest.NewServer()
	fmt.Println("CometChat Go SDK quickstart, against an embedded cometchattest server at " + srv.URL() + ".")
	fmt.Println("(Set COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY to run it against your app.)")
	return &tour{client: srv.Client(ua), prefix: prefix}, srv.Close, nil
}

func (t *tour) uid(name string) string { return t.prefix + name }

func (t *tour) title(s string) {
	t.step++
	fmt.Printf("\n%d. %s\n", t.step, s)
}

func say(format string, args ...any) { fmt.Printf("   "+format+"\n", args...) }

func (t *tour) createWithToken(ctx context.Context) error {
	t.title("Create a user, with an auth token for their app, in one call")
	u, err := t.client.Users.Create(ctx, &cometchat.CreateUserParams{
		UID:           t.uid("ada"),
		Name:          "Ada Lovelace",
		Avatar:        "https://example.com/avatars/ada.png",
		Metadata:      map[string]any{"@private": map[string]any{"email": "ada@example.com"}},
		Tags:          []string{"engineer", "founder"},
		WithAuthToken: true,
	})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	t.created = append(t.created, u.UID)
	say("created %s %q (role %q, tags %v) at %s", u.UID, u.Name, u.Role, u.Tags, u.CreatedAt.Format(time.RFC3339))
	say("auth token for Ada's app: %s (printed redacted: it is a secret)", cometchat.AuthToken{UID: u.UID, Token: u.AuthToken})
	return nil
}

func (t *tour) read(ctx context.Context) error {
	t.title("Read it back")
	u, err := t.client.Users.Get(ctx, t.uid("ada"))
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	say("%s is %q, status %s, avatar %s", u.UID, u.Name, u.Status, u.Avatar)
	return nil
}

func (t *tour) update(ctx context.Context) error {
	t.title("Update the name and clear the avatar")
	u, err := t.client.Users.Update(ctx, t.uid("ada"), &cometchat.UpdateUserParams{
		Name:  cometchat.Ptr("Ada King, Countess of Lovelace"),
		Unset: []cometchat.UserField{cometchat.UserFieldAvatar},
	})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	if u.Avatar != "" {
		return fmt.Errorf("update: avatar still %q after unset", u.Avatar)
	}
	say("now %q, avatar cleared, updated at %s", u.Name, u.UpdatedAt.Format(time.RFC3339))
	return nil
}

func (t *tour) listWithFilter(ctx context.Context) error {
	t.title("Create a few more users and list them with a filter")
	for _, name := range []string{"grace", "hedy", "katherine", "margaret", "radia"} {
		tags := []string{"engineer"}
		if name == "hedy" || name == "radia" {
			tags = []string{"inventor"}
		}
		u, err := t.client.Users.Create(ctx, &cometchat.CreateUserParams{
			UID: t.uid(name), Name: strings.ToUpper(name[:1]) + name[1:], Tags: tags,
		})
		if err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
		t.created = append(t.created, u.UID)
	}
	page, err := t.client.Users.List(ctx, &cometchat.ListUsersParams{
		SearchKey: t.prefix, SearchIn: []string{"uid"}, Tags: []string{"inventor"}, WithTags: true,
	})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	for _, u := range page.Users {
		say("tagged inventor: %s %v", u.UID, u.Tags)
	}
	say("%d of them (page %d of %d)", page.Pagination.Total, page.Pagination.CurrentPage, page.Pagination.TotalPages)
	return nil
}

func (t *tour) pageThroughAll(ctx context.Context) error {
	t.title("Page through every user with All, two per page")
	n := 0
	for u, err := range t.client.Users.All(ctx, &cometchat.ListUsersParams{SearchKey: t.prefix, SearchIn: []string{"uid"}, PerPage: 2}) {
		if err != nil {
			return fmt.Errorf("all: %w", err)
		}
		n++
		say("%d. %s", n, u.UID)
	}
	if n != len(t.created) {
		return fmt.Errorf("all: saw %d users, created %d", n, len(t.created))
	}
	return nil
}

func (t *tour) rotateTokens(ctx context.Context) error {
	t.title("Rotate Ada's auth tokens: mint a new one, list, revoke the old one")
	uid := t.uid("ada")
	old, err := t.client.AuthTokens.Create(ctx, uid, nil) // the newest active token
	if err != nil {
		return fmt.Errorf("current token: %w", err)
	}
	fresh, err := t.client.AuthTokens.Create(ctx, uid, &cometchat.CreateAuthTokenParams{Force: true})
	if err != nil {
		return fmt.Errorf("new token: %w", err)
	}
	say("minted %s", fresh)
	page, err := t.client.AuthTokens.List(ctx, uid, nil)
	if err != nil {
		return fmt.Errorf("list tokens: %w", err)
	}
	say("Ada has %d active tokens", len(page.Tokens))
	if err := t.client.AuthTokens.Delete(ctx, uid, old.Token); err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	_, err = t.client.AuthTokens.Get(ctx, uid, old.Token)
	if !errors.Is(err, cometchat.ErrAuthTokenNotFound) {
		return fmt.Errorf("revoked token still answers: %v", err)
	}
	say("revoked %s: it is gone (ErrAuthTokenNotFound)", old)
	return nil
}

func (t *tour) rolesFriendsAndBlocks(ctx context.Context) error {
	t.title("Give Grace a role, befriend and block")
	role, err := t.client.Roles.Create(ctx, &cometchat.CreateRoleParams{
		ID: t.uid("moderator"), Name: "Moderator", Description: "Keeps the conversation civil",
	})
	if err != nil {
		return fmt.Errorf("create role: %w", err)
	}
	t.roles = append(t.roles, role.ID)
	grace, err := t.client.Users.Update(ctx, t.uid("grace"), &cometchat.UpdateUserParams{Role: cometchat.Ptr(role.ID)})
	if err != nil {
		return fmt.Errorf("give the role: %w", err)
	}
	say("created role %s (a user's role must exist first); %s now has it", role.ID, grace.UID)

	friends, err := t.client.Friends.Add(ctx, grace.UID, t.uid("katherine"), t.uid("margaret"))
	if err != nil {
		return fmt.Errorf("befriend: %w", err)
	}
	page, err := t.client.Friends.List(ctx, grace.UID, nil)
	if err != nil {
		return fmt.Errorf("list friends: %w", err)
	}
	say("befriended %v (mutual, no request step); Grace has %d friends", friends.Succeeded, len(page.Users))

	radia := t.uid("radia")
	if _, err := t.client.BlockedUsers.Block(ctx, grace.UID, radia); err != nil {
		return fmt.Errorf("block: %w", err)
	}
	seen, err := t.client.Users.Get(ctx, radia, cometchat.OnBehalfOf(grace.UID))
	if err != nil {
		return fmt.Errorf("get on behalf of: %w", err)
	}
	say("Grace blocked %s: seen by Grace, BlockedByMe is %v", radia, seen.BlockedByMe)
	if _, err := t.client.BlockedUsers.Unblock(ctx, grace.UID, radia); err != nil {
		return fmt.Errorf("unblock: %w", err)
	}
	if err := t.client.Friends.Remove(ctx, grace.UID, t.uid("margaret")); err != nil {
		return fmt.Errorf("unfriend: %w", err)
	}
	say("unblocked %s, and %s is no longer a friend", radia, t.uid("margaret"))
	return nil
}

func (t *tour) deactivateAndReactivate(ctx context.Context) error {
	t.title("Deactivate two users, then reactivate them")
	uids := []string{t.uid("grace"), t.uid("hedy")}
	d, err := t.client.Users.Deactivate(ctx, uids...)
	if err != nil {
		return fmt.Errorf("deactivate: %w", err)
	}
	say("deactivated %v", d.Deactivated)
	if _, err := t.client.Users.Get(ctx, uids[0]); !errors.Is(err, cometchat.ErrUIDNotFound) {
		return fmt.Errorf("a deactivated user should read as not found, got %v", err)
	}
	say("a deactivated user reads as not found")
	r, err := t.client.Users.Reactivate(ctx, uids...)
	if err != nil {
		return fmt.Errorf("reactivate: %w", err)
	}
	say("reactivated %v", r.Reactivated)
	return nil
}

func (t *tour) deletePermanently(ctx context.Context) error {
	t.title("Delete Ada permanently")
	uid := t.uid("ada")
	if err := t.client.Users.Delete(ctx, uid, &cometchat.DeleteUserParams{Permanent: true}); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	t.created = t.created[1:]
	say("deleted %s with her messages and tokens; the uid is free again", uid)
	return nil
}

func (t *tour) handleNotFound(ctx context.Context) error {
	t.title("The error story: read a user that is gone")
	_, err := t.client.Users.Get(ctx, t.uid("ada"))
	var apiErr *cometchat.APIError
	switch {
	case errors.Is(err, cometchat.ErrUIDNotFound) && errors.As(err, &apiErr):
		say("errors.Is(err, cometchat.ErrUIDNotFound): true")
		say("errors.As gives status %d, code %s, message %q", apiErr.StatusCode, apiErr.Code, apiErr.Message)
	case err == nil:
		return errors.New("a deleted user was found")
	default:
		return fmt.Errorf("get deleted user: %w", err)
	}
	_, err = t.client.Users.Get(ctx, "../admin")
	if !errors.Is(err, cometchat.ErrValidation) {
		return fmt.Errorf("a bad uid should fail validation, got %v", err)
	}
	say("a bad uid never leaves the process: %v", err)
	return nil
}

// count says "1 user", "2 users".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// deleteLeftovers permanently deletes every user the tour created (their
// friendships and blocks go with them), then its roles, so a run against a
// real app leaves nothing behind, even after a failure.
func (t *tour) deleteLeftovers(ctx context.Context) {
	if len(t.created)+len(t.roles) == 0 {
		return
	}
	fmt.Printf("\nCleaning up: %s, %s.\n", count(len(t.created), "user"), count(len(t.roles), "role"))
	for _, uid := range t.created {
		err := t.client.Users.Delete(ctx, uid, &cometchat.DeleteUserParams{Permanent: true})
		if err != nil && !errors.Is(err, cometchat.ErrUIDNotFound) {
			fmt.Fprintf(os.Stderr, "   could not delete %s: %v\n", uid, err)
		}
	}
	for _, id := range t.roles {
		if err := t.client.Roles.Delete(ctx, id); err != nil && !errors.Is(err, cometchat.ErrRoleNotFound) {
			fmt.Fprintf(os.Stderr, "   could not delete role %s: %v\n", id, err)
		}
	}
}
