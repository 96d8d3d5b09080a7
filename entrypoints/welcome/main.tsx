import { render } from 'preact';
import { WelcomeApp } from './WelcomeApp';
import '../../src/ui/theme.css';
import './welcome.css';

render(<WelcomeApp />, document.getElementById('app')!);
