import { render } from 'preact';
import { WelcomeApp } from '../../src/ui/welcome/WelcomeApp';
import '../../src/ui/theme.css';
import '../../src/ui/welcome/welcome.css';

render(<WelcomeApp />, document.getElementById('app')!);
