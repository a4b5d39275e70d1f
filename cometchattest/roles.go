package cometchattest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"
)

const maxDescriptionLen = 255

// roleInput is the body of POST /roles and PUT /roles/{role}; PUT ignores Role (the path names the role).
type roleInput struct {
	Role        string          `json:"role"`
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	Metadata    json.RawMessage `json:"metadata"`
	Settings    json.RawMessage `json:"settings"`
	Unset       []string        `json:"unset"`
}

// checked is what check made of the optional fields.
type checkedRole struct {
	metadata    json.RawMessage
	settings    *roleSettings
	setSettings bool
}

// check validates the fields both create and update take. A create requires a name; an update may leave it out,
// but not blank it.
func (in *roleInput) check(d *details, create bool) checkedRole {
	var c checkedRole
	switch {
	case in.Name != nil && create:
		checkName(d, *in.Name, "The name field is required.")
	case in.Name != nil:
		checkName(d, *in.Name, "The name field must have a value.")
	case create:
		d.add("name", "The name field is required.")
	}
	if in.Description != nil && utf8.RuneCountInString(*in.Description) > maxDescriptionLen {
		d.add("description", "The description may not be greater than 255 characters.")
	}
	c.metadata = checkObject(d, "metadata", in.Metadata)
	c.settings, c.setSettings = checkSettings(d, in.Settings)
	return c
}

// checkSettings validates settings: an object (or []) whose listUsers and sendMessagesTo, when present, are "all"
// or "friendsOnly"; other keys are ignored. It returns nil settings for an empty object.
func checkSettings(d *details, raw json.RawMessage) (*roleSettings, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	if isEmptyArray(raw) {
		return nil, true
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		d.add("settings", "The settings must be an object.")
		return nil, false
	}
	var rs roleSettings
	for key, dst := range map[string]*string{"listUsers": &rs.ListUsers, "sendMessagesTo": &rs.SendMessagesTo} {
		v, ok := m[key]
		if !ok {
			continue
		}
		if json.Unmarshal(v, dst) != nil || (*dst != "all" && *dst != "friendsOnly") {
			d.add("settings."+key, "The selected settings."+key+" is invalid.")
		}
	}
	if rs == (roleSettings{}) {
		return nil, true
	}
	return &rs, true
}

// createRole serves POST /roles.
func (s *Server) createRole(w http.ResponseWriter, r *http.Request) {
	var in roleInput
	if !readBody(w, r, &in) {
		return
	}
	var d details
	id := lowerASCII(in.Role)
	checkUID(&d, "role", id)
	c := in.check(&d, true)
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	ro := &role{id: id, name: *in.Name, metadata: c.metadata, settings: c.settings, createdAt: s.now().Unix()}
	if in.Description != nil {
		ro.description = *in.Description
	}
	s.mu.Lock()
	a := func() answer {
		if s.st.roles[id] != nil {
			var d details
			d.add("role", "The role has already been taken.")
			return failed(errValidation(d))
		}
		if len(s.st.roles) >= maxRoles {
			return failed(errPlanQuota("Create Role", maxRoles))
		}
		s.st.addRole(ro)
		return answer{data: ro.wire()}
	}()
	s.mu.Unlock()
	a.write(w)
}

// listRoles serves GET /roles: creation order, "default" first; meta.pagination only.
func (s *Server) listRoles(w http.ResponseWriter, r *http.Request) {
	var d details
	perPage, page := parsePaging(&d, r.URL.Query())
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	start, end := pageBounds(perPage, page)
	s.mu.Lock()
	total := len(s.st.roleOrder)
	items := make([]wireRole, 0, max(min(end, total)-start, 0))
	for i := start; i < min(end, total); i++ {
		items = append(items, s.st.roleOrder[i].wire())
	}
	s.mu.Unlock()
	writeData(w, items, &listMeta{Pagination: pageOf(total, len(items), perPage, page)})
}

// withRole is the prologue of the handlers of /roles/{role}: it lowercases the id, takes s.mu and runs fn with the
// role, or answers 404 ERR_ROLE_NOT_FOUND.
func (s *Server) withRole(w http.ResponseWriter, r *http.Request, fn func(ro *role) answer) {
	id := lowerASCII(r.PathValue("role"))
	s.mu.Lock()
	var a answer
	if ro := s.st.roles[id]; ro != nil {
		a = fn(ro)
	} else {
		a = failed(errRoleNotFound(http.StatusNotFound, id))
	}
	s.mu.Unlock()
	a.write(w)
}

// getRole serves GET /roles/{role}.
func (s *Server) getRole(w http.ResponseWriter, r *http.Request) {
	s.withRole(w, r, func(ro *role) answer { return answer{data: ro.wire()} })
}

// updateRole serves PUT /roles/{role}: absent fields are unchanged; unset clears description, metadata or
// settings and runs last.
func (s *Server) updateRole(w http.ResponseWriter, r *http.Request) {
	var in roleInput
	if !readBody(w, r, &in) {
		return
	}
	var d details
	c := in.check(&d, false)
	for i, f := range in.Unset {
		if f != "description" && f != "metadata" && f != "settings" {
			field := "unset." + strconv.Itoa(i)
			d.add(field, "The selected "+field+" is invalid.")
		}
	}
	if d != nil {
		writeError(w, errValidation(d))
		return
	}
	now := s.now().Unix()
	s.withRole(w, r, func(ro *role) answer {
		if in.Name != nil {
			ro.name = *in.Name
		}
		setIf(&ro.description, in.Description)
		if c.metadata != nil {
			ro.metadata = c.metadata
		}
		if c.setSettings {
			ro.settings = c.settings
		}
		for _, f := range in.Unset {
			switch f {
			case "description":
				ro.description = ""
			case "metadata":
				ro.metadata = nil
			case "settings":
				ro.settings = nil
			}
		}
		ro.updatedAt = now
		return answer{data: ro.wire()}
	})
}

// deleteRole serves DELETE /roles/{role}. The users of a deleted role get "default".
func (s *Server) deleteRole(w http.ResponseWriter, r *http.Request) {
	s.withRole(w, r, func(ro *role) answer {
		if ro.id == defaultRole {
			return failed(errRoleDeleteDenied())
		}
		s.st.deleteRole(ro)
		return answer{data: successMessage{true, "Role " + ro.id + " has been deleted successfully."}}
	})
}
