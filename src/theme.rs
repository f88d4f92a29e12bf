//! The widget's theme, as Stripe's `Appearance`, so that the Payment Element
//! (an iframe the stylesheet cannot reach) matches the controls around it:
//! each `--lsc-*` custom property, as the widget's root computes it, becomes
//! the `Appearance.variables` entry of the same role
//! (docs/research-stripe-js.md §11: `changeAppearance` on every train, the
//! variables' names in stripe-js's `elements-group.d.ts`).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// Each custom property of `style/checkout.css` and the `Appearance.variables`
/// key it becomes.
pub(crate) const VARIABLES: [(&str, &str); 7] = [
    ("--lsc-font", "fontFamily"),
    ("--lsc-accent", "colorPrimary"),
    ("--lsc-background", "colorBackground"),
    ("--lsc-text", "colorText"),
    ("--lsc-muted", "colorTextSecondary"),
    ("--lsc-danger", "colorDanger"),
    ("--lsc-radius", "borderRadius"),
];

/// `{variables: {…}}` from `root`'s computed custom properties (those that
/// are set); `None` off the browser or when the page's style cannot be read.
pub(crate) fn appearance(root: &web_sys::Element) -> Option<JsValue> {
    let style = web_sys::window()?.get_computed_style(root).ok()??;
    let variables = Object::new();
    for (property, variable) in VARIABLES {
        let value = style.get_property_value(property).ok()?;
        let value = value.trim();
        if !value.is_empty() {
            Reflect::set(&variables, &variable.into(), &value.into()).ok()?;
        }
    }
    let appearance = Object::new();
    Reflect::set(&appearance, &"variables".into(), &variables).ok()?;
    Some(appearance.into())
}

#[cfg(test)]
mod tests {
    use super::VARIABLES;

    /// Every custom property named here is one the stylesheet defines.
    #[test]
    fn the_properties_are_the_stylesheets() {
        let css = include_str!("../style/checkout.css");
        for (property, _) in VARIABLES {
            assert!(
                css.contains(&format!("{property}:")),
                "{property} is not in checkout.css"
            );
        }
    }
}
