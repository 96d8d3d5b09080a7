import { render } from 'preact';
import { SnapshotsApp } from '../../src/ui/snapshots/SnapshotsApp';
import '../../src/ui/theme.css';
import '../../src/ui/snapshots/snapshots.css';

render(<SnapshotsApp />, document.getElementById('app')!);
