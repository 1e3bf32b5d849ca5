package household

// The record statuses that mean a surveyor has finished a household (the store's
// StatusComplete and StatusApproved; "draft" and "returned" are not finished).
const (
	statusComplete = "complete"
	statusApproved = "approved"
)

// CarriedOver tells whether a household surveyed in round (its survey.round) comes from
// another round than the one of date d (RoundFor): a household of last year's review, or of
// an earlier month of the regular review, has not been reviewed in d's round yet. The form
// carries such a household into d's round when it is opened.
func CarriedOver(round string, d Date) bool { return round != RoundFor(d) }

// DoneFor tells whether a household counts as done for the round of date d: it is complete
// or approved (status) and its survey round (round) is d's. A complete household carried over
// from an earlier round is to be reviewed again, not done.
func DoneFor(status, round string, d Date) bool {
	return (status == statusComplete || status == statusApproved) && !CarriedOver(round, d)
}
