import { render } from 'preact';
import { PopupApp } from '../../src/ui/PopupApp';
import '../../src/ui/theme.css';

render(<PopupApp />, document.getElementById('app')!);
