//! Reading a catalogue: the file's text, checked ([`crate::validate`]).

use crate::schema::Catalogue;
use crate::validate::{self, CatalogueError};

impl Catalogue {
    /// Reads and checks a catalogue file's text.
    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        let catalogue: Catalogue =
            toml::from_str(text).map_err(|e| CatalogueError::Syntax(e.to_string()))?;
        validate::check(&catalogue)?;
        Ok(catalogue)
    }

    /// Reads and checks the catalogue file at `path`.
    pub fn load(path: &std::path::Path) -> Result<Self, CatalogueError> {
        let text = std::fs::read_to_string(path).map_err(|e| CatalogueError::Read {
            path: path.display().to_string(),
            error: e.to_string(),
        })?;
        Self::parse(&text).map_err(|e| e.in_file(path))
    }

    /// The demo shop ([`crate::DEMO_TOML`]).
    pub fn demo() -> Self {
        // The file ships with the crate and is checked by its tests; were it
        // ever broken, an empty shop refuses every checkout instead of panicking.
        Self::parse(crate::DEMO_TOML).unwrap_or_else(|_| Catalogue {
            currency: "usd".to_owned(),
            products: Vec::new(),
            shipping: None,
            add_ons: Vec::new(),
        })
    }
}
