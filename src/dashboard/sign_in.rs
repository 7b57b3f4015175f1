//! The sign-in page.

use askama::Template;

/// The sign-in form, with an error after a wrong token.
#[derive(Template, Debug)]
#[template(path = "dashboard/sign_in.html")]
pub struct SignInPage {
    /// Why the last attempt failed.
    pub error: Option<&'static str>,
}
