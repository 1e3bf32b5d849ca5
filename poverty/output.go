package poverty

import (
	"strconv"
)

// AppendOutput appends the classify output of household-record.md for one household: one JSON
// object, without the newline.
func AppendOutput(dst []byte, id string, r *Result) []byte {
	dst = append(dst, `{"id": "`...)
	dst = append(dst, id...) // a validated UUID needs no escaping
	dst = append(dst, `", "standard": "`...)
	dst = append(dst, r.Standard.ID...)
	dst = append(dst, `", "class": "`...)
	dst = append(dst, r.Class...)
	dst = append(dst, `", "income_basis": "`...)
	dst = append(dst, r.Basis...)
	dst = append(dst, '"')
	if r.Basis == BasisDeclared {
		dst = append(dst, `, "income_per_capita": `...)
		dst = strconv.AppendInt(dst, r.IncomePerCapita, 10)
	}
	dst = append(dst, `, "deprivations": [`...)
	n := 0
	for i := range r.Standard.Indicators {
		if k := r.Standard.Indicators[i].kind; r.Deprived.Has(k) {
			if n > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, '"')
			dst = append(dst, k.String()...)
			dst = append(dst, '"')
			n++
		}
	}
	dst = append(dst, `], "deprivation_score": `...)
	dst = strconv.AppendInt(dst, int64(r.DeprivationScore), 10)
	dst = append(dst, `, "movement": "`...)
	dst = append(dst, r.Movement...)
	return append(dst, `"}`...)
}
