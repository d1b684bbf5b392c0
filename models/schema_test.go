package models_test

import (
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/importing"
)

// TestModelsMatchSchema proves that every gorm model agrees with the tables
// the migrations create: each field has a column of a compatible type and
// nullability, and each column has a field.
func TestModelsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, m := range append(models.All(), importing.Models()...) {
			stmt := &gorm.Statement{DB: db}
			if err := stmt.Parse(m); err != nil {
				t.Fatalf("parse %T: %v", m, err)
			}
			s := stmt.Schema
			if !db.Migrator().HasTable(m) {
				t.Errorf("%s: table %q does not exist", s.Name, s.Table)
				continue
			}
			cols, err := db.Migrator().ColumnTypes(m)
			if err != nil {
				t.Fatalf("%s: column types: %v", s.Name, err)
			}
			byName := map[string]gorm.ColumnType{}
			for _, c := range cols {
				byName[c.Name()] = c
			}
			for _, f := range s.Fields {
				if f.DBName == "" || f.IgnoreMigration {
					continue
				}
				c, ok := byName[f.DBName]
				if !ok {
					t.Errorf("%s.%s: no column %s.%s", s.Name, f.Name, s.Table, f.DBName)
					continue
				}
				delete(byName, f.DBName)
				checkType(t, s, f, c)
			}
			for name := range byName {
				t.Errorf("%s: column %s.%s has no field in the model", s.Name, s.Table, name)
			}
		}
	})
}

func checkType(t *testing.T, s *schema.Schema, f *schema.Field, c gorm.ColumnType) {
	t.Helper()
	dbType := strings.ToLower(c.DatabaseTypeName())
	var allowed []string
	switch {
	case f.Serializer != nil:
		allowed = []string{"text", "jsonb", "json"}
	default:
		switch f.DataType {
		case schema.Bool:
			allowed = []string{"boolean", "bool"}
		case schema.Int, schema.Uint:
			allowed = []string{"integer", "bigint", "int", "int2", "int4", "int8", "smallint"}
		case schema.Float:
			allowed = []string{"real", "double precision", "float8", "float4", "numeric"}
		case schema.String:
			allowed = []string{"text", "varchar"}
		case schema.Time:
			allowed = []string{"datetime", "timestamptz", "date"}
		case schema.Bytes:
			allowed = []string{"blob", "bytea"}
		default:
			allowed = []string{"text", "jsonb", "json", "date"}
		}
	}
	ok := false
	for _, a := range allowed {
		if dbType == a {
			ok = true
		}
	}
	if !ok {
		t.Errorf("%s.%s: column %s is %s, want one of %v", s.Name, f.Name, f.DBName, dbType, allowed)
	}
	nullable, known := c.Nullable()
	if !known || f.PrimaryKey {
		return
	}
	goNullable := f.FieldType.Kind() == reflect.Pointer || f.FieldType.Kind() == reflect.Slice ||
		f.FieldType.Kind() == reflect.Map || strings.HasPrefix(f.FieldType.Name(), "Null")
	if nullable && !goNullable {
		t.Errorf("%s.%s: column %s is nullable but the field (%s) cannot hold NULL", s.Name, f.Name, f.DBName, f.FieldType)
	}
	if !nullable && f.FieldType.Kind() == reflect.Pointer {
		t.Errorf("%s.%s: column %s is NOT NULL but the field is a pointer", s.Name, f.Name, f.DBName)
	}
}
