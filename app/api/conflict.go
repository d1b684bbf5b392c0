package api

import (
	"errors"

	"github.com/debrief-sre/debrief/models"
)

// conflictJSON swaps the model in a ConflictError for its JSON shape.
func conflictJSON[T any, J any](err error, conv func(T) J) error {
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		if cur, ok := ce.Current.(T); ok {
			return &models.ConflictError{What: ce.What, Current: conv(cur)}
		}
	}
	return err
}
