//! OpenAPI schemas of the request bodies that are checked field by field rather than parsed
//! into one struct (settings forms, the permission sections): each lists exactly what the
//! check requires, so the document and the validation cannot disagree.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// An object whose `required` fields have the given JSON types, with `optional` typed fields
/// beside them; other fields are allowed (they are ignored).
pub fn typed_object(required: &[(&str, Type)], optional: &[(&str, Type)]) -> RefOr<Schema> {
    let mut object = ObjectBuilder::new().schema_type(Type::Object);
    for (name, kind) in required {
        object = object
            .property(*name, ObjectBuilder::new().schema_type(kind.clone()))
            .required(*name);
    }
    for (name, kind) in optional {
        object = object.property(*name, ObjectBuilder::new().schema_type(kind.clone()));
    }
    object.into()
}

/// An object with the given required sections, each an object of optional boolean flags.
pub fn flag_sections<'a>(
    sections: impl IntoIterator<Item = (&'a str, Vec<&'a str>)>,
) -> RefOr<Schema> {
    let mut object = ObjectBuilder::new().schema_type(Type::Object);
    for (section, flags) in sections {
        let flags: Vec<(&str, Type)> = flags.into_iter().map(|f| (f, Type::Boolean)).collect();
        object = object
            .property(section, typed_object(&[], &flags))
            .required(section);
    }
    object.into()
}
