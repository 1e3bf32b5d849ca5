// Package store is the local database of rasoat, on bbolt: every household with its full
// history, on a surveyor's field laptop and in the ward office's central copy (the role is
// recorded in the database).
//
// # History, never overwrite
//
// Every save of a household is a new immutable Revision: id, parent (and, for a revision that
// resolves a conflict, further merged parents), the device that made it with that device's
// sequence number (1, 2, 3… without gaps, the last one kept in meta), time, author, the
// SHA-256 of the record, status (draft, complete, approved, returned) and the record itself in
// the canonical bytes of household.Encode. A deletion is a revision too (a tombstone keeping
// the last content), so it can be undone; a restore copies an earlier record into a new
// revision. The current version of a household is derived: the head of its revisions (a
// revision without children). Two heads (edits made at the same time on two devices, brought
// together by sync) are a conflict: both are kept, the later one (by time, then revision id)
// is shown provisionally, and a Restore of the chosen revision merges them.
//
// # Buckets
//
// Keys joined by 0x00 (written ␀ below) never contain it: ids, groups, surveyor names and
// search words are checked for control characters. Numbers in keys are big-endian uint64 so
// they sort as numbers; times in keys are Unix nanoseconds with the sign bit flipped.
//
//	meta/                                  the database's description (schema 6)
//	  schema       uint64                  schema version (SchemaVersion)
//	  role         "field" | "office"
//	  ward, area, device_id, device_name, surveyor, created
//	  seq          uint64                  last sequence number given to this device's revisions
//	  score_table  bytes                   the ward's income score table file as loaded
//	                                        (scoretable.go); absent when none is loaded
//	revisions/                             primary data: immutable, only ever added to
//	  byid/        revision id → header    (codec.go: household, parents, device, seq, time,
//	                                        author, status, comment, deleted, restored, hash)
//	  blobs/       sha256 (32 bytes) → canonical record bytes, shared by revisions with
//	                                        the same content (status changes, delete, undelete)
//	  bydevice/    device ␀ seq → revision id            what sync asks: RevisionsSince
//	  byhousehold/ household ␀ time+revision id → ""     History, oldest first
//	  children/    parent id ␀ child id → household      to find heads when revisions arrive
//	                                                      out of order
//	households/                            derived: one entry per household
//	  current/     household id → state    current revision, heads, status, and what lists
//	                                        show (group, address, head, members, surveyor,
//	                                        updated, deleted, search words, survey round
//	                                        and date)
//	  order/       uint64 → household id   order of first arrival: lists and exports
//	index/                                 derived, kept in the same transactions
//	  group/       group ␀ household → status ␀ round   ListGroup, Groups with counts by status
//	                                                      and survey round (done this round)
//	  status/      status ␀ household → ""
//	  surveyor/    surveyor ␀ household → ""
//	  conflict/    household → ""                       households with two heads
//	assignments/   surveyor → groups and households to visit this round
//	audit/         the audit log (audit.go): log/ seq → entry, byhousehold/ household ␀ seq,
//	               head; appended in the transaction of each change, never edited, hash-chained
//	users/         office users: name → Argon2id password hash, created, disabled (users.go)
//	settings/      app settings kept with the data: backup folder, copies kept (autobackup.go)
//	syncstate/     keys, enrolled devices and progress of package sync (syncstate.go);
//	               made on first use, not derived, left alone by migrations and Reindex
//
// The search index is not in the file (search.go): Search looks at every household's folded
// words (Fold), kept in its current state, through an index built in memory from the current
// states when first needed and kept in step with each committed write. (Schemas 3 and 4 kept
// one key per word and household: a dozen keys per household, most of the cost of an import.)
//
// Deleted households are in no index but conflict. Everything under revisions/ but byid and
// blobs, under households/ and under index/ is derived from the revisions and can be rebuilt
// (Reindex); Verify checks that it is exactly what the revisions give.
//
// # Encryption at rest
//
// A database may be encrypted (encrypt.go; always a field laptop's choice in the settings, the
// office's too): meta/sealed_key then holds a random data key wrapped under the user's
// passphrase (package seal: Argon2id, XChaCha20-Poly1305), so a new passphrase re-wraps that
// key alone. Sealed with the data key, each bound to its bucket and key: the records
// (revisions/blobs), the revision headers (revisions/byid: author, comment), the current
// states (households/current: head's name, address, search words), the sync keys, the
// enrollment package and the batches waiting in syncstate/, and the audit entries. The
// search words are only in the sealed current states; the in-memory search index is
// forgotten by Lock. Left in clear, because they hold no household's personal data and are needed before
// the unlock or to route sync: meta (ward, role, the user's and the device's names), keys
// (household and revision ids, device ids and sequence numbers, times), the group, status and
// surveyor indexes (group and surveyor names), assignments, stages, the enrolled devices and
// sync progress. Without Options.Passphrase Open gives ErrEncrypted; a wrong one gives
// ErrWrongPassphrase; Lock forgets the key until Unlock. Backups and compacted copies are the
// file's own pages, so they stay encrypted.
//
// # Transactions and safety
//
// Every exported method is one bbolt transaction; bytes are copied out before it ends. An
// import is one transaction: all or nothing. PutRevisionsWith lets sync write its own state
// (SyncTx) in the transaction that stores a batch's revisions, so that a batch is applied
// whole with one sync to disk. Imports and PutRevisions check the records on every processor
// while the transaction stores those already checked, write the derived buckets through a
// buffer in key order (wbuf.go); PutRevisions settles each household's current state once per
// batch. Sync to disk is never turned off (Options.NoSync
// exists for tests only). Open waits Options.Timeout for another copy of the app and then
// fails with ErrLocked; a damaged file gives ErrCorrupt, not a panic. Older schemas are
// migrated when opened (migrate.go); newer ones are refused with ErrNewerSchema.
package store
