package ui

import (
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// Households is what the home screen and the household form need from the local database.
// *store.Store satisfies it.
type Households interface {
	SaveDraft(rec *household.Record, author string) (store.Revision, error)
	MarkComplete(id, author string) (store.Revision, error)
	UnsentDraft(id string) (bool, error)
	DeleteUnsentDraft(id, author string) (store.Revision, error)
	Get(id string) (*household.Record, store.Revision, error)
	Groups() ([]store.GroupCount, error)
	ListGroup(group string) ([]store.Summary, error)
	Search(query string, limit int) ([]store.Summary, error)
	Assignments() ([]store.Assignment, error)
}

// Settings is the database's own settings: the role of this laptop, the ward, the surveyor.
// *store.Store satisfies it.
type Settings interface {
	Meta() (store.Meta, error)
	UpdateMeta(func(*store.Meta)) error
	Path() string
}

// Store is everything the app's screens use; *store.Store satisfies it.
type Store interface {
	Households
	Settings
}

var _ Store = (*store.Store)(nil)
