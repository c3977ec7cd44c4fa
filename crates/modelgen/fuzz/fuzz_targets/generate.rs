//! Parse + compile arbitrary text: `generate` must return (Ok or Err with a
//! position inside the text), never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = modelgen::generate(text) {
            assert!(e.line >= 1 && e.column >= 1);
            // GraphQL ends lines at \n, \r\n and a lone \r
            let breaks = text.matches('\n').count() + text.matches('\r').count();
            assert!(e.line <= breaks + 1);
        }
    }
});
