//! `policylint init`: write a commented starter configuration.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use policylint::config::{CONFIG_FILE, STARTER};

#[derive(Args)]
pub struct InitArgs {
    /// The folder to write policylint.yaml in.
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
}

pub fn init(args: InitArgs) -> miette::Result<ExitCode> {
    let path = args.dir.join(CONFIG_FILE);
    // `create_new` refuses an existing file in the same step that creates it.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(miette::miette!(
                help = "edit it, or move it away and run `policylint init` again",
                "{} already exists; not overwritten",
                path.display()
            ));
        }
        Err(e) => return Err(miette::miette!("cannot create {}: {e}", path.display())),
    };
    file.write_all(STARTER.as_bytes())
        .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}
