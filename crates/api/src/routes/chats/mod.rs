//! `/api/v1/chats`: the chat history (use cases in `hearth_services::chats`).

mod admin;
mod branches;
mod crud;
mod flags;
mod lists;
mod share;
mod tags;
mod transfer;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the router. Fixed paths come before `/{id}`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1/chats")
            .service(lists::list_root)
            .service(lists::list)
            .service(lists::pinned)
            .service(lists::archived)
            .service(lists::archived_count)
            .service(lists::folder_list)
            .service(lists::by_tag)
            .service(lists::search)
            .service(admin::user_chats)
            .service(admin::get_config)
            .service(admin::set_config)
            .service(share::shared_list)
            .service(share::unshare_all)
            .service(share::shared_chat)
            .service(share::access)
            .service(share::update_access)
            .service(crud::create)
            .service(crud::delete_all)
            .service(flags::archive_all)
            .service(flags::unarchive_all)
            .service(flags::read_all)
            .service(tags::all_tags)
            .service(transfer::export_all)
            .service(transfer::all_archived)
            .service(transfer::import)
            .service(transfer::folder_chats)
            .service(crud::get)
            .service(crud::update)
            .service(crud::delete)
            .service(crud::update_params)
            .service(crud::clone)
            .service(branches::fork)
            .service(branches::update_message)
            .service(branches::delete_message_route)
            .service(flags::pinned_status)
            .service(flags::pin)
            .service(flags::archive)
            .service(flags::move_to_folder)
            .service(flags::unread)
            .service(share::share)
            .service(share::unshare)
            .service(tags::chat_tags)
            .service(tags::add_tag)
            .service(tags::remove_tag),
    );
}
