//! `cargo xtask sync-assets`: the generator package's copies of `wsdl/`, `openapi/` and
//! `templates/` (`generator/assets/`) made equal to the top-level folders, which stay the one
//! place a writer edits. Only changed files are written; files gone from the top level go from
//! the copy too. `generator/tests/assets.rs` fails until this has run.

#[path = "../../generator/build/assets.rs"]
mod tree;

use std::path::Path;

/// Refreshes every asset folder and says what changed.
pub fn sync(root: &Path) -> Result<(), String> {
    let mut changed = 0;
    for dir in tree::DIRS {
        let top = root.join(dir);
        let copy = root.join("generator/assets").join(dir);
        if tree::files(&top).is_empty() {
            return Err(format!("{} has no files", top.display()));
        }
        for rel in tree::differing(&top, &copy) {
            let (from, to) = (top.join(&rel), copy.join(&rel));
            if from.is_file() {
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| io(parent, &e))?;
                }
                std::fs::copy(&from, &to).map_err(|e| io(&to, &e))?;
                println!("copied {dir}/{}", rel.display());
            } else {
                std::fs::remove_file(&to).map_err(|e| io(&to, &e))?;
                remove_empty_parents(&to, &copy);
                println!("removed generator/assets/{dir}/{}", rel.display());
            }
            changed += 1;
        }
    }
    println!("generator/assets: {changed} file(s) changed");
    Ok(())
}

/// Removes the folders between `file` and `stop` that its removal left empty.
fn remove_empty_parents(file: &Path, stop: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == stop || std::fs::remove_dir(d).is_err() {
            return;
        }
        dir = d.parent();
    }
}

fn io(path: &Path, e: &std::io::Error) -> String {
    format!("{}: {e}", path.display())
}
