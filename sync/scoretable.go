package sync

import (
	"encoding/hex"

	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/store"
)

// The ward's income score table (docs/score-table.md) travels from the office to its laptops
// inside the signed, encrypted down-batches (Header.ScoreTable): the table the office has in
// force, or that it has none. A laptop never sends its table, only the SHA-256 of the one it
// has, in its up-batches, so that the office leaves out the bytes of a table the laptop has
// already. The office's table wins: a laptop takes it, or removes its own when the office has
// none, with the batch that says so (in the batch's transaction), unless a newer down-batch
// said something else already (Header.Stamp, as for the assignments).

// NoScoreTable is ScoreTableRef.SHA256 of a database that has no score table.
const NoScoreTable = "none"

// ScoreTableRef is a score table as a batch names it.
type ScoreTableRef struct {
	// SHA256 is the hex SHA-256 of the table file, or NoScoreTable: down, the office's table
	// in force; up, the laptop's.
	SHA256 string `json:"sha256"`
	// File is the table file, in a down-batch to a laptop that did not say it has it; never in
	// an up-batch.
	File []byte `json:"file,omitempty"`
}

// What importing batches did to a laptop's score table (BatchResult.ScoreTable,
// Result.ScoreTable).
const (
	ScoreTableLoaded  = "loaded"  // the office's table was loaded in place of the laptop's
	ScoreTableRemoved = "removed" // the office has none: the laptop's was removed
)

// scoreTableRef names a table file (nil: none).
func scoreTableRef(file []byte) *ScoreTableRef {
	if file == nil {
		return &ScoreTableRef{SHA256: NoScoreTable}
	}
	return &ScoreTableRef{SHA256: hashHex(file)}
}

// ownScoreTable names this database's table.
func (n *Node) ownScoreTable() (*ScoreTableRef, []byte, error) {
	file, err := n.st.ScoreTableFile()
	if err != nil {
		return nil, nil, err
	}
	return scoreTableRef(file), file, nil
}

// downScoreTable is what the office's down-batches to a device say of the table: the office's,
// with its file unless the device last said it has it; nil (say nothing: the laptop keeps its
// own) when the office's stored table cannot be used, which the office sees on its settings
// screen.
func (n *Node) downScoreTable(device string) (*ScoreTableRef, error) {
	if _, err := n.st.ScoreTable(); err != nil {
		return nil, nil
	}
	ref, file, err := n.ownScoreTable()
	if err != nil {
		return nil, err
	}
	peer, err := n.st.PeerScoreTable(device)
	if err != nil {
		return nil, err
	}
	if file != nil && peer != ref.SHA256 {
		ref.File = file
	}
	return ref, nil
}

// checkScoreTableRef checks what a header says of a table, before the batch is trusted
// further than its signature.
func checkScoreTableRef(h *Header) error {
	t := h.ScoreTable
	if t == nil {
		return nil
	}
	if t.SHA256 != NoScoreTable {
		if b, err := hex.DecodeString(t.SHA256); err != nil || len(b) != 32 || hex.EncodeToString(b) != t.SHA256 {
			return errorf(ErrTampered, nil, "mã băm bảng điểm %q", "score table hash %q", t.SHA256)
		}
	}
	if t.File == nil {
		return nil
	}
	if h.Kind != KindDown || t.SHA256 == NoScoreTable {
		return errorf(ErrTampered, nil, "lô mang bảng điểm không đúng chỗ", "the batch carries a score table where none belongs")
	}
	if len(t.File) > poverty.MaxScoreTableBytes {
		return errorf(ErrTooLarge, nil, "bảng điểm %d byte, tối đa %d", "score table of %d bytes, at most %d", len(t.File), poverty.MaxScoreTableBytes)
	}
	if hashHex(t.File) != t.SHA256 {
		return errorf(ErrTampered, nil, "mã băm bảng điểm không khớp", "the score table hash does not match")
	}
	return nil
}

// checkOfficeScoreTable checks the table file a down-batch carries as the laptop would load it
// (store.LoadScoreTable): one this program cannot use refuses the batch (store.ErrInvalid),
// with the reason, before anything of it is written.
func (n *Node) checkOfficeScoreTable(h *Header) error {
	if h.ScoreTable == nil || h.ScoreTable.File == nil {
		return nil
	}
	if _, err := n.st.CheckScoreTable(h.ScoreTable.File); err != nil {
		return store.Errorf(store.ErrInvalid, err,
			"bảng điểm thu nhập của văn phòng phường không dùng được trên máy này (%[1]s); hãy cập nhật chương trình hoặc báo văn phòng phường",
			"the ward office's income score table cannot be used on this laptop (%[2]s); update the program or tell the ward office",
			store.Message(err, "vi"), store.Message(err, "en"))
	}
	return nil
}

// takeScoreTable applies, in a down-batch's transaction, what it says of the office's table:
// unless a newer down-batch was applied already, the laptop loads the table (or removes its
// own when the office has none). A batch that names a table by its hash only, which the laptop
// does not have, changes nothing: the laptop's next up-batch says what it has, and the office
// sends the file. It returns ScoreTableLoaded, ScoreTableRemoved or "" (nothing changed).
func takeScoreTable(x *store.SyncTx, h *Header) (string, error) {
	t := h.ScoreTable
	if t == nil || h.Stamp <= x.SyncStamp("score_table") {
		return "", nil
	}
	var file []byte
	switch {
	case t.SHA256 == NoScoreTable:
	case t.File != nil:
		file = t.File
	default:
		have := x.ScoreTableFile()
		if have == nil || hashHex(have) != t.SHA256 {
			return "", nil
		}
		file = have
	}
	changed, err := x.SetScoreTable(file, h.From)
	if err != nil {
		return "", err
	}
	if _, err := x.AdvanceSyncStamp("score_table", h.Stamp); err != nil {
		return "", err
	}
	switch {
	case !changed:
		return "", nil
	case file == nil:
		return ScoreTableRemoved, nil
	}
	return ScoreTableLoaded, nil
}
