//! The package's copies in `generator/assets/` equal the top-level `wsdl/`, `openapi/` and
//! `templates/` byte for byte, file for file: what the library embeds (and what a published
//! package carries) is what the writers edited.

#[path = "../build/assets.rs"]
mod assets;

use std::path::Path;

#[test]
fn assets_equal_the_top_level_files_byte_for_byte() {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in assets::DIRS {
        let top = package.join("..").join(dir);
        let copy = package.join("assets").join(dir);
        assert!(
            !assets::files(&top).is_empty(),
            "no files in the top-level {dir}/"
        );
        let stale = assets::differing(&top, &copy);
        assert!(
            stale.is_empty(),
            "generator/assets/{dir} differs from {dir}/ in {stale:?}: run `cargo xtask sync-assets`"
        );
    }
}

#[test]
fn differing_names_a_changed_a_missing_and_an_extra_file() {
    let scratch = std::env::temp_dir().join(format!("altinn-bridge-assets-{}", std::process::id()));
    let (a, b) = (scratch.join("a"), scratch.join("b"));
    for (dir, files) in [
        (
            &a,
            [
                ("same.txt", "x"),
                ("sub/changed.j2", "1"),
                ("only-a.wsdl", "a"),
            ],
        ),
        (
            &b,
            [
                ("same.txt", "x"),
                ("sub/changed.j2", "2"),
                ("only-b.json", "b"),
            ],
        ),
    ] {
        for (rel, text) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
    }
    let stale = assets::differing(&a, &b);
    let _ = std::fs::remove_dir_all(&scratch);
    let names: Vec<String> = stale.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(names, ["only-a.wsdl", "only-b.json", "sub/changed.j2"]);
}
