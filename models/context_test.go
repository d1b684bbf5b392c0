package models_test

import "context"

// ctx is the context of model tests.
var ctx = context.Background()
