//! Refinements of the generated OpenAPI document that derive attributes cannot carry: rules
//! the request checks share through one constant are written into every schema they apply to.

use hearth_domain::validate::PROFILE_IMAGE_URL_PATTERN;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr};

/// Request forms whose `profile_image_url` goes through `check_profile_image_url`.
const PROFILE_IMAGE_FORMS: [&str; 4] = [
    "SignupForm",
    "AddUserForm",
    "UpdateProfileForm",
    "UserUpdateForm",
];

/// Applies every refinement to `api`.
pub(crate) fn refine(api: &mut OpenApi) {
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for form in PROFILE_IMAGE_FORMS {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(form) else {
            continue;
        };
        if let Some(RefOr::T(Schema::Object(field))) =
            object.properties.get_mut("profile_image_url")
        {
            field.pattern = Some(PROFILE_IMAGE_URL_PATTERN.to_owned());
        }
    }
}
