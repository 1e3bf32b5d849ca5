package ui

// The rules of the questionnaire (shared/spec/questionnaire.md) are the household package's:
// household.Asked, (*household.Member).FillUnasked, household.RoundFor. Only the list the
// ethnicity question offers is kept here.

// Ethnicities are Vietnam's 54 ethnic groups, the most numerous first, as the ethnicity question
// offers them; the surveyor may still type another name.
var Ethnicities = []string{
	"Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
	"Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông",
	"Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ Triêng", "Co",
	"Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "Kháng", "La Chí", "Phù Lá", "La Hủ", "La Ha",
	"Pà Thẻn", "Chứt", "Lự", "Lô Lô", "Mảng", "Cờ Lao", "Bố Y", "Cống", "Ngái", "Si La",
	"Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
}
