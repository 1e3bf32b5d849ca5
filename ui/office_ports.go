package ui

import (
	"context"
	"net"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

// OfficeStore is what the ward office's screens need of the database beyond Store: every
// household with its record, the review decisions, conflicts and their history, last year's
// statuses, the review stages of the groups, and deleting a household or bringing it back.
// *store.Store satisfies it.
type OfficeStore interface {
	Store
	List() ([]store.Summary, error)
	ForEach(fn func(rec *household.Record, rev store.Revision) error) error
	Conflicts() ([]string, error)
	SetReview(id, status, comment, author string) (store.Revision, error)
	Heads(id string) ([]store.Revision, error)
	Restore(id, revisionID, author string) (store.Revision, error)
	SaveMerge(rec *household.Record, author string) (store.Revision, error)
	SetPreviousStatuses(set map[string]string, author string) ([]store.PreviousChange, []string, error)
	Stages() ([]store.GroupStages, error)
	SetStage(group, stage string, date household.Date, note, author string) (store.StageMark, error)
	ClearStage(group, stage string) error
	Delete(id, author string) (store.Revision, error)
	Undelete(id, author string) (store.Revision, error)
	Deletions() ([]store.Deletion, error)
}

var _ OfficeStore = (*store.Store)(nil)

// OfficeSyncer is what the office needs of the sync engine: batches brought on a USB stick,
// the LAN sync server, and the enrolled laptops. *sync.Node satisfies it.
type OfficeSyncer interface {
	ImportFrom(dir string) (rsync.Result, error)
	Status() (rsync.Status, error)
	SetupOffice(hosts ...string) (rsync.OfficeInfo, error)
	Serve(ctx context.Context, ln net.Listener) error
	Devices() ([]rsync.DeviceStatus, error)
	Approve(requestFile []byte, typedCode, address string) ([]byte, store.SyncDevice, error)
	Revoke(id string) (store.SyncDevice, error)
}

var _ OfficeSyncer = (*rsync.Node)(nil)
