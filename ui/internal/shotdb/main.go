// Command shotdb plays the ward office's review for scripts/screenshots.sh: it returns one
// household of a database to the surveyor with a comment. The script runs it on the office's
// copy, whose answer then reaches the laptop by sync (on the USB stick). It prints the
// household's head's name without diacritics, for the script to type in the search box.
//
//	go run ./ui/internal/shotdb --db PATH --group "Tổ 01"
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/rasoat/rasoat/store"
)

func main() {
	path := flag.String("db", "", "the demo database")
	group := flag.String("group", "Tổ 01", "the residential group of the household to return")
	flag.Parse()
	if err := run(*path, *group); err != nil {
		fmt.Fprintln(os.Stderr, "shotdb:", err)
		os.Exit(1)
	}
}

// comment is what the office writes on the returned household.
const comment = "Kiểm tra lại diện tích nhà ở và thu nhập: hộ có hai người đi làm có hợp đồng, đề nghị xác minh trước buổi họp dân."

func run(path, group string) error {
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := db.Meta()
	if err != nil {
		return err
	}
	list, err := db.ListGroup(group)
	if err != nil || len(list) == 0 {
		return fmt.Errorf("no household in %q (%v)", group, err)
	}
	// Only the office may review: act as the office for one decision, then be the laptop again.
	if err := db.UpdateMeta(func(x *store.Meta) { x.Role = store.RoleOffice }); err != nil {
		return err
	}
	_, err = db.SetReview(list[0].ID, store.StatusReturned, comment, "Văn phòng phường (ảnh chụp màn hình)")
	if err2 := db.UpdateMeta(func(x *store.Meta) { x.Role = m.Role }); err == nil {
		err = err2
	}
	if err != nil {
		return err
	}
	fmt.Println(store.Fold(list[0].HeadName))
	return nil
}
